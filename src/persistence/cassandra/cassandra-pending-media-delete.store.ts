import { Injectable } from '@nestjs/common';
import { PendingMediaDelete, PendingMediaDeleteStore } from '../../storage/media-deletes/pending-media-delete.store';
import { CassandraConnection } from './cassandra-connection';

/**
 * PendingMediaDeleteStore on Cassandra: one partition (`shard` 0) holds the queue. It only ever holds deletes
 * that failed (a storage outage's worth), so a single partition read per retry round stays small.
 */
@Injectable()
export class CassandraPendingMediaDeleteStore extends PendingMediaDeleteStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async put(entry: PendingMediaDelete): Promise<void> {
    await this.cql.execute('INSERT INTO pending_media_deletes (shard, id, ccid, doc) VALUES (0, ?, ?, ?)', [entry.id, entry.ccid, JSON.stringify(entry)], { idempotent: true });
  }

  async due(now: string, limit: number): Promise<PendingMediaDelete[]> {
    return (await this.all())
      .filter((e) => e.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt))
      .slice(0, limit);
  }

  async list(ccid: string): Promise<PendingMediaDelete[]> {
    return (await this.all()).filter((e) => e.ccid === ccid);
  }

  async remove(id: string): Promise<void> {
    await this.cql.execute('DELETE FROM pending_media_deletes WHERE shard = 0 AND id = ?', [id], { idempotent: true });
  }

  private async all(): Promise<PendingMediaDelete[]> {
    const rows = await this.cql.execute('SELECT doc FROM pending_media_deletes WHERE shard = 0', [], { idempotent: true, fetchSize: 10_000 });
    return rows.rows.map((row) => JSON.parse(row.doc as string) as PendingMediaDelete);
  }
}
