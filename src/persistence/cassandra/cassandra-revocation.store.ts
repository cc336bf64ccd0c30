import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { Revocation, RevocationStore } from '../../identity/tokens/revocation.store';
import { CassandraConnection } from './cassandra-connection';

const HOUR_MS = 3_600_000;
/** listSince never walks more hour buckets than this (a week), whatever `since` says. */
const MAX_BUCKETS = 24 * 7;

/**
 * RevocationStore on Cassandra: revoked_sessions answers "is this session revoked?" by id;
 * revoked_sessions_by_hour lets nodes poll "what was revoked since T" by reading one or two hour buckets.
 * Both rows expire (TTL) when no credential of the session can still be valid.
 */
@Injectable()
export class CassandraRevocationStore extends RevocationStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async revoke(r: Revocation): Promise<void> {
    const ttl = Math.max(1, Math.ceil((Date.parse(r.expiresAt) - Date.now()) / 1000));
    await this.cql.batch(
      [
        {
          query: 'INSERT INTO revoked_sessions (session_id, revoked_at, expires_at) VALUES (?, ?, ?) USING TTL ?',
          params: [r.sessionId, new Date(r.revokedAt), new Date(r.expiresAt), ttl],
        },
        {
          query: 'INSERT INTO revoked_sessions_by_hour (hour, revoked_at, session_id, expires_at) VALUES (?, ?, ?, ?) USING TTL ?',
          params: [hourBucket(Date.parse(r.revokedAt)), new Date(r.revokedAt), r.sessionId, new Date(r.expiresAt), ttl],
        },
      ],
      { idempotent: true },
    );
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const row = (await this.cql.execute('SELECT expires_at FROM revoked_sessions WHERE session_id = ?', [sessionId], { idempotent: true })).first();
    return Boolean(row && (row.expires_at as Date).getTime() > Date.now());
  }

  async listSince(since: Date): Promise<Revocation[]> {
    const now = Date.now();
    const start = Math.max(since.getTime(), now - MAX_BUCKETS * HOUR_MS);
    const out: Revocation[] = [];
    for (let hour = Math.floor(start / HOUR_MS) * HOUR_MS; hour <= now; hour += HOUR_MS) {
      let pageState: string | undefined;
      do {
        const page = await this.cql.execute(
          'SELECT revoked_at, session_id, expires_at FROM revoked_sessions_by_hour WHERE hour = ? AND revoked_at >= ?',
          [hourBucket(hour), new Date(start)],
          { idempotent: true, fetchSize: 5000, pageState },
        );
        out.push(...page.rows.map(toRevocation).filter((r) => Date.parse(r.expiresAt) > now));
        pageState = page.pageState ?? undefined;
      } while (pageState);
    }
    return out;
  }
}

function hourBucket(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

function toRevocation(row: types.Row): Revocation {
  return {
    sessionId: row.session_id as string,
    revokedAt: (row.revoked_at as Date).toISOString(),
    expiresAt: (row.expires_at as Date).toISOString(),
  };
}
