import { Injectable } from '@nestjs/common';
import { MediaClaimStore, MediaOwner, sameOwner } from '../../recordings/media-claim.store';
import { EmbeddedDatabase } from './embedded-database';

const CLAIMS = 'media_claims';

/** MediaClaimStore on the embedded database (reads and the in-memory apply of a write happen without an await between them). */
@Injectable()
export class EmbeddedMediaClaimStore extends MediaClaimStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async claim(location: string, owner: MediaOwner): Promise<MediaOwner> {
    if (await this.db.putIfAbsent(CLAIMS, location, { ...owner })) return owner;
    return (await this.ownerOf(location)) ?? owner;
  }

  async replace(location: string, from: MediaOwner, to: MediaOwner): Promise<boolean> {
    if (!sameOwner(this.read(location), from)) return false;
    await this.db.put(CLAIMS, location, { ...to });
    return true;
  }

  async ownerOf(location: string): Promise<MediaOwner | undefined> {
    return this.read(location);
  }

  async release(location: string, owner: MediaOwner): Promise<void> {
    if (sameOwner(this.read(location), owner)) await this.db.delete(CLAIMS, location);
  }

  private read(location: string): MediaOwner | undefined {
    const row = this.db.get(CLAIMS, location);
    return row ? { ccid: String(row.ccid), recordingId: String(row.recordingId) } : undefined;
  }
}
