import { StorageInvalidKeyException } from './storage.exception';

/** Longest key accepted; far above `cc/<uuid>/screen/<uuid>.bin` and below path limits of file systems and URLs. */
export const MAX_KEY_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Splits a storage key into its path segments, refusing anything that could leave the storage root or collide
 * with an adapter's own files: empty, absolute, `.`/`..`, empty segments, characters outside `A-Za-z0-9._-`.
 * Segments may not start with `.`: adapters keep temporary files under dot-names (and so does Apache).
 */
export function storageKeySegments(key: string): string[] {
  if (typeof key !== 'string' || key.length === 0) throw new StorageInvalidKeyException(String(key), 'empty key');
  if (key.length > MAX_KEY_LENGTH) throw new StorageInvalidKeyException(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (key.startsWith('/')) throw new StorageInvalidKeyException(key, 'absolute paths are not allowed');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') throw new StorageInvalidKeyException(key, 'empty path segment');
    if (segment === '.' || segment === '..') throw new StorageInvalidKeyException(key, "'.' and '..' are not allowed");
    if (segment.length > MAX_SEGMENT_LENGTH) throw new StorageInvalidKeyException(key, `a segment is longer than ${MAX_SEGMENT_LENGTH} characters`);
    if (!SEGMENT.test(segment)) {
      throw new StorageInvalidKeyException(key, "only letters, digits, '.', '_', '-' and '/' are allowed, and no segment starts with '.'");
    }
  }
  return segments;
}
