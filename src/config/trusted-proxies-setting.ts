import { isIP } from 'node:net';

/** Names Express (proxy-addr) also understands, kept so operators can write what they know. */
export const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/**
 * RWS_TRUSTED_PROXIES: a comma list of IPs, CIDRs (`10.0.0.0/8`, `fd00::/8`) and range names; `none` (or an
 * empty list) trusts no hop. Bad entries are reported as problems, never guessed at.
 */
export function parseTrustedProxies(text: string, problems: string[]): string[] {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 1 && entries[0].toLowerCase() === 'none') return [];
  for (const entry of entries) {
    if ((PROXY_RANGE_NAMES as readonly string[]).includes(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || extra !== undefined) {
      problems.push(`RWS_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR, "loopback", "linklocal", "uniquelocal" or "none"`);
    }
  }
  return entries;
}
