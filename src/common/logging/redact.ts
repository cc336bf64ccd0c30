/** Field names whose values never reach a log line, matched case-insensitively anywhere in a key. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|credential|private|pkcs7|apikey|api_key|masterkey/i;

/** Credentials embedded in URLs (`http://user:pass@host`). */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

/** Returns a copy of `value` safe to log: secret-looking keys masked, URL credentials stripped. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, '$1***@');
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message, depth + 1), stack: value.stack };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) ? '***' : redact(v, depth + 1);
  }
  return out;
}
