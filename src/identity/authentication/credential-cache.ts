import { createHmac, randomBytes } from 'node:crypto';

const MAX_ENTRIES = 10_000;

/** What a verified credential proved: this account, with this credential stamp, until expiresAt. */
interface Verified {
  userKey: string;
  credentialStamp: string;
  expiresAt: number;
}

/**
 * Remembers recently verified Basic credentials so that a client sending Basic on every request pays
 * scrypt once per TTL, not per request. Entries are keyed by HMAC(user, password) under a per-process
 * random key: the cache holds no password and no offline-guessable hash of one. An entry only counts
 * while the account's credential stamp is unchanged (a password change ends it everywhere).
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Verified>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this user name and password were verified recently, for the account's current credential stamp. */
  lookup(userKey: string, password: string, currentStamp: string): boolean {
    if (this.ttlMs <= 0) return false;
    const id = this.idOf(userKey, password);
    const hit = this.entries.get(id);
    if (!hit) return false;
    if (hit.expiresAt <= this.now() || hit.userKey !== userKey || currentStamp !== hit.credentialStamp) {
      this.entries.delete(id);
      return false;
    }
    return true;
  }

  /** The credential stamp a recent verification of this user name and password was made under, if any. */
  rememberedStamp(userKey: string, password: string): string | undefined {
    if (this.ttlMs <= 0) return undefined;
    const hit = this.entries.get(this.idOf(userKey, password));
    return hit && hit.expiresAt > this.now() && hit.userKey === userKey ? hit.credentialStamp : undefined;
  }

  remember(userKey: string, password: string, credentialStamp: string): void {
    if (this.ttlMs <= 0) return;
    const id = this.idOf(userKey, password);
    this.entries.delete(id);
    this.entries.set(id, { userKey, credentialStamp, expiresAt: this.now() + this.ttlMs });
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** An opaque id of this user name and password (keyed HMAC; never the password or a guessable hash of it). */
  idOf(userKey: string, password: string): string {
    // Length-prefixed so ("ab","c") and ("a","bc") cannot collide.
    return createHmac('sha256', this.key).update(`${userKey.length}:${userKey}:${password}`).digest('base64url');
  }
}
