/** Parses tus `Upload-Metadata`: comma-separated `key base64value` pairs (value optional). */
export function parseUploadMetadata(header: string | undefined): Map<string, string> | undefined {
  const out = new Map<string, string>();
  if (header === undefined || header.trim() === '') return out;
  for (const pair of header.split(',')) {
    const parts = pair.trim().split(' ');
    if (parts.length > 2 || !/^[^\s,]+$/.test(parts[0] ?? '')) return undefined;
    const [key, encoded] = parts;
    if (out.has(key)) return undefined;
    if (encoded !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
    out.set(key, encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8'));
  }
  return out;
}

/** Encodes metadata the way tus clients send it (for tests and the reference recorder). */
export function formatUploadMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',');
}
