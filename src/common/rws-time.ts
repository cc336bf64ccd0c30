const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses the timestamps api.md §1 accepts (ISO-8601, with or without millis, `Z`, `+0000` or `+00:00`). */
export function parseTimestamp(value: string): Date | undefined {
  if (!ISO_8601.test(value)) return undefined;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, the form RWS emits. */
export function formatTimestamp(iso: string | Date): string {
  return (typeof iso === 'string' ? new Date(iso) : iso).toISOString().replace('Z', '+0000');
}
