import { Injectable } from '@nestjs/common';
import { RefreshTokenRecord, RefreshTokenStore } from '../../identity/tokens/refresh-token.store';
import { EmbeddedDatabase } from './embedded-database';
import { ExpiringRows } from './expiring-rows';

const TOKENS = 'refresh_tokens';

/** RefreshTokenStore on the embedded database; expired rows are swept (no TTL here). */
@Injectable()
export class EmbeddedRefreshTokenStore extends RefreshTokenStore {
  private readonly rows: ExpiringRows;

  constructor(db: EmbeddedDatabase) {
    super();
    this.rows = new ExpiringRows(db, TOKENS);
  }

  put(record: RefreshTokenRecord): Promise<void> {
    return this.rows.put(record.tokenHash, { ...record }, record.expiresAt);
  }

  async get(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.rows.get(tokenHash);
    return row as RefreshTokenRecord | undefined;
  }

  async markUsed(record: RefreshTokenRecord, at: string): Promise<boolean> {
    const row = this.rows.get(record.tokenHash);
    if (!row || row.usedAt) return false;
    // Check and write happen in one synchronous step of the database's memory, so one caller wins.
    await this.rows.put(record.tokenHash, { ...row, usedAt: at }, row.expiresAt as string);
    return true;
  }
}
