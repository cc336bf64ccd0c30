import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_RENDERING, ErrorCode } from '../errors/error-code';

/**
 * Checks made on a request before anything reads its body or routes it, so a refusal costs nothing and says
 * exactly what was wrong, in the API's envelope.
 */

/** Refuses a path with a `.` or `..` segment (also percent-encoded): ids in paths are never dot segments. */
export function refuseDotSegments(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const path = (req.url ?? '/').split('?')[0];
  const dotted = path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  if (!dotted) return next();
  answer(res, ErrorCode.InvalidParameter, "Parameter 'path' is invalid: a path segment may not be '.' or '..'.");
}

/**
 * Answers 413 at once when a JSON request declares more than `limit` bytes, before reading any of it (the
 * body parser would read — and discard — the whole declared body first). The connection is closed rather
 * than drained.
 */
export function refuseOversizedJson(limitBytes: number) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const declared = Number(req.headers['content-length']);
    const json = /^application\/(?:[\w.+-]+\+)?json\b/i.test(req.headers['content-type'] ?? '');
    if (!json || !Number.isFinite(declared) || declared <= limitBytes) return next();
    res.setHeader('Connection', 'close');
    answer(res, ErrorCode.PayloadTooLarge, 'Request body is too large.');
  };
}

/** body-parser `verify`: a JSON body that is not valid UTF-8 is refused (400), not decoded with replacement characters. */
export function requireUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('Request body is not valid UTF-8.'), { status: 400, type: 'encoding.invalid.utf8' });
}

function answer(res: ServerResponse, code: ErrorCode, message: string): void {
  const rendering = ERROR_RENDERING[code];
  const body = JSON.stringify({ statusCode: rendering.statusCode, statusMessage: message });
  res.statusCode = rendering.httpStatus;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
