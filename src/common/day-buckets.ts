const DAY_MS = 86_400_000;

/** The UTC day (`YYYY-MM-DD`) of an ISO timestamp: the bucket of day-partitioned lookup tables. */
export function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/**
 * Day buckets from the day of `toIso` back to the day of `fromIso`, newest first, at most `maxDays`.
 * Callers widen `from` by the longest recording they expect, since a row lives in its start day's bucket.
 */
export function daysBackwards(fromIso: string, toIso: string, maxDays: number): string[] {
  const out: string[] = [];
  const first = Date.parse(dayOf(fromIso));
  for (let t = Date.parse(dayOf(toIso)); t >= first && out.length < maxDays; t -= DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export const ONE_DAY_MS = DAY_MS;
