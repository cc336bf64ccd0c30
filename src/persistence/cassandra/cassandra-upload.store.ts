import { Injectable } from '@nestjs/common';
import { UploadActivity, UploadRecord, UploadStore } from '../../screen-recordings/uploads/upload.store';
import { CassandraConnection } from './cassandra-connection';

const PAGE = 500;

/**
 * UploadStore on Cassandra: one row per upload (the record as a document, its version and last activity in
 * columns of their own); every change is a lightweight transaction on the version.
 */
@Injectable()
export class CassandraUploadStore extends UploadStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(record: UploadRecord): Promise<boolean> {
    const result = await this.cql.execute(
      'INSERT INTO uploads (id, version, updated_at, doc) VALUES (?, ?, ?, ?) IF NOT EXISTS',
      [record.id, record.version, record.updatedAt, JSON.stringify(record)],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async get(id: string): Promise<UploadRecord | undefined> {
    const row = (await this.cql.execute('SELECT doc FROM uploads WHERE id = ?', [id], { idempotent: true })).first();
    return row ? (JSON.parse(String(row.doc)) as UploadRecord) : undefined;
  }

  async replace(next: UploadRecord, expectedVersion: number): Promise<boolean> {
    const result = await this.cql.execute(
      'UPDATE uploads SET version = ?, updated_at = ?, doc = ? WHERE id = ? IF version = ?',
      [next.version, next.updatedAt, JSON.stringify(next), next.id, expectedVersion],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async remove(id: string, expectedVersion: number): Promise<boolean> {
    const result = await this.cql.execute('DELETE FROM uploads WHERE id = ? IF version = ?', [id, expectedVersion], { idempotent: false });
    return result.wasApplied();
  }

  async activity(): Promise<UploadActivity[]> {
    const out: UploadActivity[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute('SELECT id, version, updated_at FROM uploads', [], { idempotent: true, fetchSize: PAGE, pageState });
      for (const row of page.rows) out.push({ id: String(row.id), version: Number(row.version), updatedAt: Number(row.updated_at) });
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return out;
  }
}
