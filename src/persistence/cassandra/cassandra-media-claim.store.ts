import { Injectable } from '@nestjs/common';
import { MediaClaimStore, MediaOwner } from '../../recordings/media-claim.store';
import { CassandraConnection } from './cassandra-connection';

/** MediaClaimStore on Cassandra: one row per location, claimed and moved with lightweight transactions. */
@Injectable()
export class CassandraMediaClaimStore extends MediaClaimStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async claim(location: string, owner: MediaOwner): Promise<MediaOwner> {
    const result = await this.cql.execute('INSERT INTO media_claims (location, ccid, recording_id) VALUES (?, ?, ?) IF NOT EXISTS', [location, owner.ccid, owner.recordingId], {
      idempotent: false,
    });
    if (result.wasApplied()) return owner;
    const row = result.first();
    return { ccid: String(row.ccid), recordingId: String(row.recording_id) };
  }

  async replace(location: string, from: MediaOwner, to: MediaOwner): Promise<boolean> {
    const result = await this.cql.execute(
      'UPDATE media_claims SET ccid = ?, recording_id = ? WHERE location = ? IF ccid = ? AND recording_id = ?',
      [to.ccid, to.recordingId, location, from.ccid, from.recordingId],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async ownerOf(location: string): Promise<MediaOwner | undefined> {
    const row = (await this.cql.execute('SELECT ccid, recording_id FROM media_claims WHERE location = ?', [location], { idempotent: true })).first();
    return row ? { ccid: String(row.ccid), recordingId: String(row.recording_id) } : undefined;
  }

  async release(location: string, owner: MediaOwner): Promise<void> {
    await this.cql.execute('DELETE FROM media_claims WHERE location = ? IF ccid = ? AND recording_id = ?', [location, owner.ccid, owner.recordingId], { idempotent: false });
  }
}
