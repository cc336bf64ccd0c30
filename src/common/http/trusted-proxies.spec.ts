import type { IncomingMessage } from 'node:http';
import { TrustedProxies } from './trusted-proxies';

function requestFrom(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('TrustedProxies', () => {
  it('walks X-Forwarded-For back only through trusted hops', () => {
    const proxies = new TrustedProxies(['loopback', '10.0.0.0/8']);
    const chain = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7, 10.1.2.3' };
    expect(proxies.clientAddressOf(requestFrom('::ffff:127.0.0.1', chain))).toBe('198.51.100.7');
    expect(proxies.clientAddressOf(requestFrom('192.0.2.1', chain))).toBe('192.0.2.1');
  });

  it('trusts nobody with an empty list, and understands IPv6 ranges', () => {
    expect(new TrustedProxies([]).clientAddressOf(requestFrom('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }))).toBe('127.0.0.1');
    const v6 = new TrustedProxies(['fd00::/8']);
    expect(v6.trusts('fd12::1')).toBe(true);
    expect(v6.trusts('fe80::1')).toBe(false);
  });

  it('takes X-Forwarded-Proto/Host from a trusted hop only', () => {
    const proxies = new TrustedProxies(['loopback']);
    const headers = { host: 'node1:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'rws.example.com' };
    expect(proxies.forwardedOrigin(requestFrom('127.0.0.1', headers), false)).toEqual({ protocol: 'https', host: 'rws.example.com' });
    expect(proxies.forwardedOrigin(requestFrom('192.0.2.1', headers), false)).toEqual({ protocol: 'http', host: 'node1:8080' });
  });
});
