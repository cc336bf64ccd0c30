import { LookupAddress, lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless RWS_WEBHOOK_ALLOW_PRIVATE=true: loopback, private, link-local
 * (cloud metadata), shared, benchmark, multicast, reserved and unspecified ranges, IPv4 and IPv6. A
 * subscription could otherwise make RWS probe or call services inside its own network (SSRF).
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** True when the address is in a range webhooks may not reach by default. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a URL cannot be a webhook target (syntax only; addresses are checked when connecting), or undefined. */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (text.length > 2048) return 'must be at most 2048 characters';
  return undefined;
}

/**
 * Why a URL's host may not be an outbound target (webhooks, export folders) unless private targets are allowed
 * (RWS_WEBHOOK_ALLOW_PRIVATE): it does not resolve, or resolves only to private or loopback addresses.
 */
export async function privateTargetProblem(url: string, allowPrivate: boolean): Promise<string | undefined> {
  if (allowPrivate) return undefined;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookupAll(host, { all: true })).map((a) => a.address);
    } catch {
      return `the host ${host} does not resolve`;
    }
  }
  if (addresses.every(isPrivateAddress)) return 'targets a private or loopback address; set RWS_WEBHOOK_ALLOW_PRIVATE=true to allow such targets';
  return undefined;
}

/**
 * A DNS lookup for the HTTP client that refuses private addresses (unless allowed): checked on the address
 * actually connected to, so a name that resolves differently later (DNS rebinding) cannot slip through.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '');
      const allowed = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (allowed.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`webhook target ${hostname} resolves to a private or loopback address (set RWS_WEBHOOK_ALLOW_PRIVATE=true to allow)`);
        refused.code = 'EWEBHOOKPRIVATE';
        return callback(refused, '');
      }
      if ((options as { all?: boolean }).all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}
