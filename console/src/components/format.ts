/** A timestamp of the API in the reader's locale; the text as sent when it is not a date. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Seconds as m:ss (or h:mm:ss). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Length of a call between two timestamps, or undefined. */
export function spanSeconds(start?: string, stop?: string): number | undefined {
  if (!start || !stop) return undefined;
  const seconds = (Date.parse(stop) - Date.parse(start)) / 1000;
  return Number.isFinite(seconds) ? seconds : undefined;
}
