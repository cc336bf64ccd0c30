/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What to answer to a request's `Range` header for a representation of a known size (RFC 9110 §14):
 * - `none`: no usable Range (absent, another unit, malformed): 200 with the whole body;
 * - `single`: 206 with `Content-Range: contentRange(range, size)`;
 * - `multiple`: several satisfiable ranges: 200 with the whole body (we do not serve multipart/byteranges);
 * - `unsatisfiable`: 416 with `Content-Range: unsatisfiedRange(size)`.
 */
export type RangeDecision =
  | { kind: 'none' }
  | { kind: 'single'; range: ByteRange }
  | { kind: 'multiple' }
  | { kind: 'unsatisfiable' };

/** More range specs than this in one header is abuse, not a client need: the header is ignored. */
const MAX_RANGE_SPECS = 100;
const BYTES_UNIT = /^\s*bytes\s*=(.*)$/i;
const SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/** Interprets a `Range` header against a representation of `size` bytes. */
export function parseRangeHeader(header: string | string[] | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: 'none' };
  // Node joins repeated headers for most names but not all; two Range headers are malformed.
  if (Array.isArray(header)) return header.length === 1 ? parseRangeHeader(header[0], size) : { kind: 'none' };
  const unit = BYTES_UNIT.exec(header);
  if (!unit) return { kind: 'none' };
  // List syntax allows empty elements ("0-1,,2-3"); they carry nothing.
  const specs = unit[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length === 0 || specs.length > MAX_RANGE_SPECS) return { kind: 'none' };

  const satisfiable: ByteRange[] = [];
  for (const spec of specs) {
    const m = SPEC.exec(spec);
    if (!m) return { kind: 'none' };
    const range = m[3] !== undefined ? suffixRange(Number(m[3]), size) : prefixRange(Number(m[1]), m[2] === '' ? undefined : Number(m[2]), size);
    if (range === 'invalid') return { kind: 'none' };
    if (range) satisfiable.push(range);
  }
  if (satisfiable.length === 0) return { kind: 'unsatisfiable' };
  if (satisfiable.length > 1) return { kind: 'multiple' };
  return { kind: 'single', range: satisfiable[0] };
}

/** `first-last` or `first-`: the last position is clamped to the size; a first position past the end is unsatisfiable. */
function prefixRange(first: number, last: number | undefined, size: number): ByteRange | undefined | 'invalid' {
  if (last !== undefined && last < first) return 'invalid';
  if (first >= size) return undefined;
  return { start: first, end: last === undefined ? size - 1 : Math.min(last, size - 1) };
}

/** `-length`: the last `length` bytes (the whole body when it is shorter); `-0` is unsatisfiable. */
function suffixRange(length: number, size: number): ByteRange | undefined {
  if (length === 0 || size === 0) return undefined;
  return { start: Math.max(0, size - length), end: size - 1 };
}

/** `Content-Range` value of a 206 answer. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** `Content-Range` value of a 416 answer. */
export function unsatisfiedRange(size: number): string {
  return `bytes */${size}`;
}

/** Number of bytes in an inclusive range. */
export function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}
