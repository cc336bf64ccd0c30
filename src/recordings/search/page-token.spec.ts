import { randomBytes } from 'node:crypto';
import { PageTokenSigner, searchDigest } from './page-token';

describe('PageTokenSigner', () => {
  const signer = new PageTokenSigner(randomBytes(32));
  const digest = searchDigest({ ccid: 'c', agentId: 'a1' });

  it('round-trips a position', () => {
    const token = signer.sign({ startMs: 1418755361000, id: 'CALL1' }, digest);
    expect(signer.verify(token, digest)).toEqual({ startMs: 1418755361000, id: 'CALL1' });
  });

  it('refuses a tampered payload, a foreign key and garbage', () => {
    const token = signer.sign({ startMs: 1, id: 'A' }, digest);
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 1, d: digest, s: 2, i: 'A' })).toString('base64url');
    expect(() => signer.verify(`${forged}.${mac}`, digest)).toThrow("Parameter 'pageToken' is invalid");
    expect(() => new PageTokenSigner(randomBytes(32)).verify(token, digest)).toThrow("Parameter 'pageToken' is invalid");
    expect(() => signer.verify(payload, digest)).toThrow("Parameter 'pageToken' is invalid");
    expect(() => signer.verify('not a token', digest)).toThrow("Parameter 'pageToken' is invalid");
  });

  it('refuses a token replayed with other filters', () => {
    const token = signer.sign({ startMs: 1, id: 'A' }, digest);
    expect(() => signer.verify(token, searchDigest({ ccid: 'c', agentId: 'a2' }))).toThrow('other filters');
  });

  it('digests do not depend on key order', () => {
    expect(searchDigest({ a: 1, b: 2 })).toBe(searchDigest({ b: 2, a: 1 }));
  });
});
