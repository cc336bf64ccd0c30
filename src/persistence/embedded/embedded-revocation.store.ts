import { Injectable } from '@nestjs/common';
import { Revocation, RevocationStore } from '../../identity/tokens/revocation.store';
import { EmbeddedDatabase } from './embedded-database';
import { ExpiringRows } from './expiring-rows';

const REVOCATIONS = 'revoked_sessions';

/** RevocationStore on the embedded database. */
@Injectable()
export class EmbeddedRevocationStore extends RevocationStore {
  private readonly rows: ExpiringRows;

  constructor(db: EmbeddedDatabase) {
    super();
    this.rows = new ExpiringRows(db, REVOCATIONS);
  }

  revoke(revocation: Revocation): Promise<void> {
    return this.rows.put(revocation.sessionId, { ...revocation }, revocation.expiresAt);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return this.rows.get(sessionId) !== undefined;
  }

  async listSince(since: Date): Promise<Revocation[]> {
    return this.rows
      .values()
      .filter((row) => Date.parse(row.revokedAt as string) >= since.getTime())
      .map((row) => ({ sessionId: row.sessionId as string, revokedAt: row.revokedAt as string, expiresAt: row.expiresAt as string }))
      .sort((a, b) => a.revokedAt.localeCompare(b.revokedAt));
  }
}
