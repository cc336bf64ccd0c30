import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Deepest nesting of objects and arrays a JSON body may have. Real documents (recordings with their event
 * histories and media files) stay below 10; a deeper one is refused before it is parsed, so it can neither
 * be stored nor exhaust the stack of whatever walks it later (validation, merges, the store's JSON).
 */
export const MAX_JSON_DEPTH = 64;

/** Whether the JSON text in `body` opens more than `max` nested objects/arrays (brackets inside strings do not count). */
export function exceedsJsonDepth(body: Buffer, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * body-parser `verify` hook: runs on the raw bytes before JSON.parse. The error's status and type become
 * the parser's error, which the envelope filter renders as 400.
 */
export function rejectDeepJson(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (exceedsJsonDepth(body)) {
    throw Object.assign(new Error(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, type: 'entity.too.deep', expose: true });
  }
}
