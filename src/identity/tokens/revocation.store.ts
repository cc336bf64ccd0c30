/** A revoked login session: every token, cookie and refresh token carrying this session id is refused. */
export interface Revocation {
  sessionId: string;
  revokedAt: string;
  /** After this no credential of the session can still be valid, so the row may go. */
  expiresAt: string;
}

/** Persistence port for revoked sessions. Nodes poll it to keep their in-memory revocation list current. */
export abstract class RevocationStore {
  abstract revoke(revocation: Revocation): Promise<void>;
  abstract isRevoked(sessionId: string): Promise<boolean>;
  /** Revocations made at or after `since` that have not expired, oldest first. */
  abstract listSince(since: Date): Promise<Revocation[]>;
}
