import { isUtf8 } from 'node:buffer';
import { MessageName, TlibMessage } from './tlib-messages';
import { isKnownMessage, schemaProblem } from './tlib-schema';

/** Where a message sits in its server's event stream (absent when the peer sent no sequence attributes). */
export interface SequencePosition {
  serverStartTime: number;
  sequenceNumber: number;
}

/** One line of the stream, decoded. Never an exception: bad input is a value the caller logs and drops. */
export type DecodedLine =
  | { kind: 'message'; message: TlibMessage; position?: SequencePosition }
  | { kind: 'unknown'; name: string; position?: SequencePosition }
  | { kind: 'invalid'; reason: string; excerpt: string; position?: SequencePosition };

/** Default longest line accepted: far above any real event (a snapshot of many calls stays well below). */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const EXCERPT_CHARS = 120;

/**
 * Splits a byte stream into JSON lines and decodes each one. A line longer than `maxLineBytes` is reported
 * once and skipped up to its newline without being buffered, so a hostile peer cannot grow memory.
 */
export class TlibLineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Feeds bytes; returns the lines they complete, in order. */
  push(chunk: Buffer): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) break;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.pendingBytes + (newline - start) > this.maxLineBytes) {
        out.push(oversized(this.pendingBytes + (newline - start), this.maxLineBytes));
      } else {
        const line = this.pendingBytes === 0 ? chunk.subarray(start, newline) : Buffer.concat([...this.pending, chunk.subarray(start, newline)]);
        const decoded = decodeLine(line);
        if (decoded) out.push(decoded);
      }
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
    }
    if (start < chunk.length && !this.skipping) {
      const rest = chunk.subarray(start);
      if (this.pendingBytes + rest.length > this.maxLineBytes) {
        out.push(oversized(this.pendingBytes + rest.length, this.maxLineBytes));
        this.pending = [];
        this.pendingBytes = 0;
        this.skipping = true;
      } else {
        // Copy: the socket may reuse the chunk's memory.
        this.pending.push(Buffer.from(rest));
        this.pendingBytes += rest.length;
      }
    }
    return out;
  }

  /** Bytes held for an unfinished line. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

/** Decodes one line (without its newline). Blank lines decode to nothing. */
export function decodeLine(line: Buffer): DecodedLine | undefined {
  if (!isUtf8(line)) return { kind: 'invalid', reason: 'not UTF-8', excerpt: excerpt(line.toString('latin1')) };
  let text = line.toString('utf8');
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON', excerpt: excerpt(text) };
  }
  return decodeObject(parsed, text);
}

/** Schema-checks a parsed JSON value as a protocol message. */
export function decodeObject(parsed: unknown, text = ''): DecodedLine {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { kind: 'invalid', reason: 'not a JSON object', excerpt: excerpt(text) };
  }
  const object = parsed as Record<string, unknown>;
  const position = positionOf(object);
  const name = object.message;
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) {
    return { kind: 'invalid', reason: 'no message name', excerpt: excerpt(text), position };
  }
  if (!isKnownMessage(name)) return { kind: 'unknown', name, position };
  const problem = schemaProblem(name, object);
  if (problem) return { kind: 'invalid', reason: problem, excerpt: excerpt(text), position };
  return { kind: 'message', message: object as TlibMessage, position };
}

/** Encodes one message as a line. */
export function encodeMessage(message: TlibMessage | ({ message: MessageName } & Record<string, unknown>)): string {
  return JSON.stringify(message) + '\n';
}

function positionOf(object: Record<string, unknown>): SequencePosition | undefined {
  const serverStartTime = object.ServerStartTime;
  const sequenceNumber = object.EventSequenceNumber;
  if (Number.isSafeInteger(serverStartTime) && Number.isSafeInteger(sequenceNumber)) {
    return { serverStartTime: serverStartTime as number, sequenceNumber: sequenceNumber as number };
  }
  return undefined;
}

function oversized(bytes: number, max: number): DecodedLine {
  return { kind: 'invalid', reason: `line longer than ${max} bytes (${bytes}+)`, excerpt: '' };
}

function excerpt(text: string): string {
  const cut = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  // Control characters out, so a log line stays one line.
  let out = '';
  for (const ch of cut) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? '?' : ch;
  }
  return out;
}
