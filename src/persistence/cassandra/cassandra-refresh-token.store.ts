import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { RefreshTokenRecord, RefreshTokenStore } from '../../identity/tokens/refresh-token.store';
import { CassandraConnection } from './cassandra-connection';

const COLUMNS = 'token_hash, session_id, ccid, user_name, credential_stamp, session_started_at, issued_at, expires_at, used_at';

/** RefreshTokenStore on Cassandra; rows carry a TTL so expired tokens disappear by themselves. */
@Injectable()
export class CassandraRefreshTokenStore extends RefreshTokenStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async put(r: RefreshTokenRecord): Promise<void> {
    await this.cql.execute(
      `INSERT INTO refresh_tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?`,
      [
        r.tokenHash,
        r.sessionId,
        r.ccid ?? null,
        r.userName,
        r.credentialStamp,
        new Date(r.sessionStartedAt),
        new Date(r.issuedAt),
        new Date(r.expiresAt),
        r.usedAt ? new Date(r.usedAt) : null,
        ttlUntil(r.expiresAt),
      ],
      { idempotent: true },
    );
  }

  async get(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = (await this.cql.execute(`SELECT ${COLUMNS} FROM refresh_tokens WHERE token_hash = ?`, [tokenHash], { idempotent: true })).first();
    if (!row || !row.session_id || !row.expires_at) return undefined;
    const record = toRecord(row);
    return Date.parse(record.expiresAt) > Date.now() ? record : undefined;
  }

  async markUsed(record: RefreshTokenRecord, at: string): Promise<boolean> {
    // "session_id != null" makes the condition false for a missing row: "used_at = null" alone would be
    // applied to a missing row and create a stray one.
    const result = await this.cql.execute(
      'UPDATE refresh_tokens USING TTL ? SET used_at = ? WHERE token_hash = ? IF session_id != null AND used_at = null',
      [ttlUntil(record.expiresAt), new Date(at), record.tokenHash],
      { idempotent: false },
    );
    return result.wasApplied();
  }
}

function ttlUntil(expiresAt: string): number {
  return Math.max(1, Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000));
}

function toRecord(row: types.Row): RefreshTokenRecord {
  const usedAt = row.used_at as Date | null;
  return {
    tokenHash: row.token_hash as string,
    sessionId: row.session_id as string,
    ccid: row.ccid ? String(row.ccid) : undefined,
    userName: row.user_name as string,
    credentialStamp: row.credential_stamp as string,
    sessionStartedAt: (row.session_started_at as Date).toISOString(),
    issuedAt: (row.issued_at as Date).toISOString(),
    expiresAt: (row.expires_at as Date).toISOString(),
    usedAt: usedAt ? usedAt.toISOString() : undefined,
  };
}
