import { Injectable } from '@nestjs/common';
import { UploadActivity, UploadRecord, UploadStore } from '../../screen-recordings/uploads/upload.store';
import { EmbeddedDatabase } from './embedded-database';

const UPLOADS = 'uploads';

/** UploadStore on the embedded database: each check and its write run without an await between them. */
@Injectable()
export class EmbeddedUploadStore extends UploadStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async create(record: UploadRecord): Promise<boolean> {
    return this.db.putIfAbsent(UPLOADS, record.id, { ...record });
  }

  async get(id: string): Promise<UploadRecord | undefined> {
    return this.db.get(UPLOADS, id) as UploadRecord | undefined;
  }

  async replace(next: UploadRecord, expectedVersion: number): Promise<boolean> {
    if (this.versionOf(next.id) !== expectedVersion) return false;
    await this.db.put(UPLOADS, next.id, { ...next });
    return true;
  }

  async remove(id: string, expectedVersion: number): Promise<boolean> {
    if (this.versionOf(id) !== expectedVersion) return false;
    return this.db.delete(UPLOADS, id);
  }

  async activity(): Promise<UploadActivity[]> {
    return [...this.db.values(UPLOADS)].map((row) => ({ id: String(row.id), version: Number(row.version), updatedAt: Number(row.updatedAt) }));
  }

  private versionOf(id: string): number | undefined {
    const row = this.db.get(UPLOADS, id);
    return row ? Number(row.version) : undefined;
  }
}
