/**
 * Timestamps of the RWS contract (api.md §1): accepted as ISO-8601 with or without fractional seconds and with
 * `Z`, `+0000` or `+00:00` (any offset); always emitted in UTC as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`.
 */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

const MAX_EPOCH_MS = Date.UTC(10000, 0, 1);

/** Milliseconds since the epoch of an RWS timestamp, or undefined when the text is not one. */
export function parseRwsTimestamp(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March: refuse dates that do not exist.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  const zone = m[8];
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (hours * 60 + minutes) * (digits[0] === '-' ? -1 : 1);
  }
  const epochMs = utc - offsetMinutes * 60_000;
  // Recordings live between 1970 and 9999: that keeps canonical timestamps one width, so they sort as text.
  return epochMs >= 0 && epochMs < MAX_EPOCH_MS ? epochMs : undefined;
}

/** Formats epoch milliseconds the way RWS emits timestamps: `2014-12-16T18:42:41.000+0000`. */
export function formatRwsTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/** Re-emits an accepted timestamp in the canonical form (undefined when it is not a timestamp). */
export function normalizeRwsTimestamp(text: string): string | undefined {
  const ms = parseRwsTimestamp(text);
  return ms === undefined ? undefined : formatRwsTimestamp(ms);
}

/** parseRwsTimestamp as a Date (for callers that work with Dates). */
export function parseTimestamp(value: string): Date | undefined {
  const ms = parseRwsTimestamp(value);
  return ms === undefined ? undefined : new Date(ms);
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS+0000` of an ISO string or a Date. */
export function formatTimestamp(value: string | Date): string {
  return formatRwsTimestamp((typeof value === 'string' ? new Date(value) : value).getTime());
}
