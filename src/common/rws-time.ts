/**
 * Timestamps of the RWS contract (api.md §1): accepted as ISO-8601 with or without fractional seconds and with
 * `Z`, `+0000` or `+00:00` (any offset); always emitted in UTC as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`.
 */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

const MAX_EPOCH_MS = Date.UTC(10000, 0, 1);

/**
 * Milliseconds since the epoch of an RWS timestamp, or undefined when the text is not one. (Every stored
 * time goes through here whenever a recording's facts are derived: it avoids needless allocations.)
 */
export function parseRwsTimestamp(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  // Refuse dates that do not exist (Date.UTC would roll 31 February over into March).
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7];
  const millis = fraction === undefined ? 0 : fraction.length >= 3 ? +fraction.slice(0, 3) : +fraction * (fraction.length === 1 ? 100 : 10);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const zone = m[8];
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const hours = +zone.slice(1, 3);
    const minutes = +zone.slice(-2);
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (hours * 60 + minutes) * (zone[0] === '-' ? -1 : 1);
  }
  const epochMs = utc - offsetMinutes * 60_000;
  // Recordings live between 1970 and 9999: that keeps canonical timestamps one width, so they sort as text.
  return epochMs >= 0 && epochMs < MAX_EPOCH_MS ? epochMs : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
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
