/** A refresh token as stored: only its SHA-256, never the token itself. */
export interface RefreshTokenRecord {
  tokenHash: string;
  /** The login session (token family) the token belongs to. */
  sessionId: string;
  ccid?: string;
  userName: string;
  credentialStamp: string;
  /** When the family started (the login), for its absolute lifetime. */
  sessionStartedAt: string;
  issuedAt: string;
  expiresAt: string;
  /** Set when exchanged: a second exchange of the same token is replay, and ends the family. */
  usedAt?: string;
}

/** Persistence port for refresh tokens (rows expire on their own at expiresAt). */
export abstract class RefreshTokenStore {
  abstract put(record: RefreshTokenRecord): Promise<void>;
  /** The record, or undefined when unknown or expired. */
  abstract get(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks the token used; false when it already was (exactly one caller wins a race). */
  abstract markUsed(record: RefreshTokenRecord, at: string): Promise<boolean>;
}
