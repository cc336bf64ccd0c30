import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** The address ranges behind the names RWS_TRUSTED_PROXIES accepts (the same as Express's proxy-addr). */
const NAMED_RANGES: Record<string, [string, number][]> = {
  loopback: [
    ['127.0.0.0', 8],
    ['::1', 128],
  ],
  linklocal: [
    ['169.254.0.0', 16],
    ['fe80::', 10],
  ],
  uniquelocal: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['fc00::', 7],
  ],
};

/**
 * Which network hops may speak for the client: `X-Forwarded-For` (and `-Proto`, `-Host`) are believed only
 * when the hop that added them is trusted. One instance serves both Express (`trust proxy`) and the
 * WebSocket upgrades, so an HTTP request and an upgrade from the same client get the same source address —
 * the key of the login throttle.
 */
export class TrustedProxies {
  private readonly ranges = new BlockList();
  private readonly empty: boolean;

  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      for (const [address, prefix] of NAMED_RANGES[entry] ?? [parseCidr(entry)]) {
        this.ranges.addSubnet(address, prefix, isIP(address) === 6 ? 'ipv6' : 'ipv4');
      }
    }
  }

  /** Whether a hop at this address is a trusted proxy (the `trust proxy` function Express calls). */
  trusts(address: string | undefined): boolean {
    if (this.empty || !address) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.ranges.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The client's address: walk `X-Forwarded-For` from the socket back while the hops are trusted. */
  clientAddressOf(request: IncomingMessage): string {
    let address = unmapped(request.socket.remoteAddress ?? 'unknown');
    const forwarded = headerText(request.headers['x-forwarded-for'])
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .reverse();
    for (const hop of forwarded) {
      if (!this.trusts(address)) break;
      address = unmapped(hop);
    }
    return address;
  }

  /** Scheme and host the client used, as far as a trusted hop tells (else this socket's view). */
  forwardedOrigin(request: IncomingMessage, encrypted: boolean): { protocol: string; host: string | undefined } {
    const trusted = this.trusts(request.socket.remoteAddress);
    const proto = trusted ? firstOf(headerText(request.headers['x-forwarded-proto'])) : undefined;
    const host = trusted ? firstOf(headerText(request.headers['x-forwarded-host'])) : undefined;
    return { protocol: (proto ?? (encrypted ? 'https' : 'http')).toLowerCase(), host: host ?? (headerText(request.headers.host) || undefined) };
  }
}

function parseCidr(entry: string): [string, number] {
  const [address, prefix] = entry.split('/');
  return [address, prefix === undefined ? (isIP(address) === 6 ? 128 : 32) : Number(prefix)];
}

/** `::ffff:127.0.0.1` (a dual-stack socket's view of an IPv4 peer) → `127.0.0.1`. */
function unmapped(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function firstOf(list: string): string | undefined {
  const first = list.split(',')[0]?.trim();
  return first ? first : undefined;
}
