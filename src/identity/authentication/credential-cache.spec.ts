import { CredentialCache } from './credential-cache';

describe('CredentialCache', () => {
  let now = 0;
  const clock = () => now;

  it('remembers a verified credential for the same stamp until the TTL', () => {
    const cache = new CredentialCache(60_000, clock);
    cache.remember('alice', 'pw', 'stamp-1');
    expect(cache.lookup('alice', 'pw', 'stamp-1')).toBe(true);
    expect(cache.lookup('alice', 'other', 'stamp-1')).toBe(false);
    expect(cache.lookup('bob', 'pw', 'stamp-1')).toBe(false);
    now += 60_000;
    expect(cache.lookup('alice', 'pw', 'stamp-1')).toBe(false);
  });

  it('drops the entry when the credential stamp changed (password changed)', () => {
    const cache = new CredentialCache(60_000, clock);
    cache.remember('alice', 'pw', 'stamp-1');
    expect(cache.lookup('alice', 'pw', 'stamp-2')).toBe(false);
    expect(cache.lookup('alice', 'pw', 'stamp-1')).toBe(false);
  });

  it('cannot be fooled by moving characters between name and password', () => {
    const cache = new CredentialCache(60_000, clock);
    cache.remember('ab', 'c', 's');
    expect(cache.lookup('a', 'bc', 's')).toBe(false);
  });

  it('is off with a zero TTL', () => {
    const cache = new CredentialCache(0, clock);
    cache.remember('alice', 'pw', 's');
    expect(cache.lookup('alice', 'pw', 's')).toBe(false);
  });
});
