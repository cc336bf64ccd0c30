import { randomBytes } from 'node:crypto';
import { UnwrappedKeyCache } from './unwrapped-key-cache';

describe('UnwrappedKeyCache', () => {
  afterEach(() => jest.useRealTimers());

  it('hands out copies of the key of one certificate and envelope, and nothing for another', () => {
    const cache = new UnwrappedKeyCache();
    const key = { contentKey: randomBytes(32), iv: randomBytes(16) };
    cache.set('cert-1', 'pkcs7-a', key);
    const got = cache.get('cert-1', 'pkcs7-a')!;
    expect(got.contentKey.equals(key.contentKey) && got.iv.equals(key.iv)).toBe(true);
    got.contentKey.fill(0);
    expect(cache.get('cert-1', 'pkcs7-a')!.contentKey.equals(key.contentKey)).toBe(true);
    expect(cache.get('cert-1', 'pkcs7-b')).toBeUndefined();
    expect(cache.get('cert-2', 'pkcs7-a')).toBeUndefined();
  });

  it('forgets keys after their lifetime, beyond its capacity (oldest first), and those of a deleted certificate', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = UnwrappedKeyCache.withLimits(1_000, 2);
    const key = () => ({ contentKey: randomBytes(32), iv: randomBytes(16) });
    cache.set('cert-1', 'a', key());
    jest.advanceTimersByTime(999);
    expect(cache.get('cert-1', 'a')).toBeDefined();
    jest.advanceTimersByTime(1);
    expect(cache.get('cert-1', 'a')).toBeUndefined();

    cache.set('cert-1', 'a', key());
    cache.set('cert-1', 'b', key());
    cache.set('cert-2', 'c', key());
    expect(cache.get('cert-1', 'a')).toBeUndefined();
    expect(cache.get('cert-1', 'b')).toBeDefined();
    cache.forgetCertificate('cert-1');
    expect(cache.get('cert-1', 'b')).toBeUndefined();
    expect(cache.get('cert-2', 'c')).toBeDefined();
  });
});
