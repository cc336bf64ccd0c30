import { Injectable } from '@nestjs/common';
import { PendingMediaDelete, PendingMediaDeleteStore } from '../../storage/media-deletes/pending-media-delete.store';
import { EmbeddedDatabase } from './embedded-database';

const PENDING = 'pending_media_deletes';

/** PendingMediaDeleteStore on the embedded database (a short list: scans are fine). */
@Injectable()
export class EmbeddedPendingMediaDeleteStore extends PendingMediaDeleteStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async put(entry: PendingMediaDelete): Promise<void> {
    await this.db.put(PENDING, entry.id, { ...entry } as unknown as Record<string, unknown>);
  }

  async due(now: string, limit: number): Promise<PendingMediaDelete[]> {
    return this.all()
      .filter((e) => e.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt))
      .slice(0, limit);
  }

  async list(ccid: string): Promise<PendingMediaDelete[]> {
    return this.all().filter((e) => e.ccid === ccid);
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(PENDING, id);
  }

  private all(): PendingMediaDelete[] {
    return [...this.db.values(PENDING)].map((row) => row as unknown as PendingMediaDelete);
  }
}
