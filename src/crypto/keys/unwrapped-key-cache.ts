import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ContentKeyMaterial } from '../media/media-encryptor';

/** How long an unwrapped file key is kept: a player's Range reads of one file come within seconds. */
export const UNWRAPPED_KEY_TTL_MS = 60_000;
const MAX_KEYS = 1_024;

interface Entry {
  contentKey: Buffer;
  iv: Buffer;
  expiresAt: number;
}

/**
 * File keys the crypto service unwrapped recently, so that the Range reads of one playback do not each
 * pay the RSA private-key operation. It only saves that operation: every unwrap is still authorised,
 * resolved against the contact center's certificates (a deleted certificate fails before this cache is
 * asked) and audited. Entries are per certificate and envelope, expire after UNWRAPPED_KEY_TTL_MS, are
 * zeroed when dropped, and are handed out as copies (callers may zero theirs).
 */
@Injectable()
export class UnwrappedKeyCache {
  private readonly entries = new Map<string, Entry>();

  private ttlMs = UNWRAPPED_KEY_TTL_MS;
  private capacity = MAX_KEYS;

  /** Another lifetime or size (tests). */
  static withLimits(ttlMs: number, capacity: number): UnwrappedKeyCache {
    const cache = new UnwrappedKeyCache();
    cache.ttlMs = ttlMs;
    cache.capacity = capacity;
    return cache;
  }

  get(certificateId: string, pkcs7: string): ContentKeyMaterial | undefined {
    const id = entryId(certificateId, pkcs7);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.drop(id, entry);
      return undefined;
    }
    return { contentKey: Buffer.from(entry.contentKey), iv: Buffer.from(entry.iv) };
  }

  set(certificateId: string, pkcs7: string, key: ContentKeyMaterial): void {
    const id = entryId(certificateId, pkcs7);
    const previous = this.entries.get(id);
    if (previous) this.drop(id, previous);
    this.entries.set(id, { contentKey: Buffer.from(key.contentKey), iv: Buffer.from(key.iv), expiresAt: Date.now() + this.ttlMs });
    // Oldest first (insertion order): expired entries and, beyond capacity, the oldest ones go.
    const now = Date.now();
    for (const [oldId, old] of this.entries) {
      if (this.entries.size <= this.capacity && old.expiresAt > now) break;
      this.drop(oldId, old);
    }
  }

  /** Drops every key unwrapped with `certificateId` (its certificate was deleted). */
  forgetCertificate(certificateId: string): void {
    for (const [id, entry] of this.entries) if (id.startsWith(`${certificateId}/`)) this.drop(id, entry);
  }

  private drop(id: string, entry: Entry): void {
    entry.contentKey.fill(0);
    this.entries.delete(id);
  }
}

function entryId(certificateId: string, pkcs7: string): string {
  return `${certificateId}/${createHash('sha256').update(pkcs7).digest('base64')}`;
}
