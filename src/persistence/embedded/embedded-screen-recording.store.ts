import { Injectable } from '@nestjs/common';
import { matchesQuery, newestFirst, pageOf, ScreenRecording, ScreenRecordingPage, ScreenRecordingQuery } from '../../screen-recordings/screen-recording';
import { ScreenRecordingChange, ScreenRecordingStore } from '../../screen-recordings/screen-recording.store';
import { EmbeddedDatabase } from './embedded-database';

const SCREEN_RECORDINGS = 'screen_recordings';

/** ScreenRecordingStore on the embedded database (a single node's volume: scans are acceptable here). */
@Injectable()
export class EmbeddedScreenRecordingStore extends ScreenRecordingStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(recording: ScreenRecording): Promise<boolean> {
    return this.db.putIfAbsent(SCREEN_RECORDINGS, key(recording.ccid, recording.id), toRow(recording));
  }

  async modify(ccid: string, id: string, change: ScreenRecordingChange): Promise<ScreenRecording | undefined> {
    // Atomic without a retry: nothing else runs between the read and the in-memory apply of `put`.
    const row = this.db.get(SCREEN_RECORDINGS, key(ccid, id));
    const next = row && change(fromRow(row));
    if (!next) return undefined;
    await this.db.put(SCREEN_RECORDINGS, key(ccid, id), toRow(next));
    return next;
  }

  async get(ccid: string, id: string): Promise<ScreenRecording | undefined> {
    const row = this.db.get(SCREEN_RECORDINGS, key(ccid, id));
    return row ? fromRow(row) : undefined;
  }

  async listByCall(ccid: string, callUuid: string): Promise<ScreenRecording[]> {
    return this.all(ccid)
      .filter((r) => r.callUuid === callUuid)
      .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
  }

  async listByCalls(ccid: string, callUuids: string[]): Promise<ScreenRecording[]> {
    const wanted = new Set(callUuids);
    return this.all(ccid)
      .filter((r) => wanted.has(r.callUuid))
      .sort((a, b) => a.callUuid.localeCompare(b.callUuid) || a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
  }

  async search(query: ScreenRecordingQuery): Promise<ScreenRecordingPage> {
    return pageOf(
      this.all(query.ccid)
        .filter((r) => matchesQuery(query, r))
        .sort(newestFirst),
      query.limit,
    );
  }

  async delete(ccid: string, id: string): Promise<void> {
    await this.db.delete(SCREEN_RECORDINGS, key(ccid, id));
  }

  private all(ccid: string): ScreenRecording[] {
    return [...this.db.values(SCREEN_RECORDINGS)].filter((r) => r.ccid === ccid).map(fromRow);
  }
}

function key(ccid: string, id: string): string {
  return `${ccid}/${id}`;
}

function toRow(recording: ScreenRecording): Record<string, unknown> {
  return { ...recording };
}

function fromRow(row: Record<string, unknown>): ScreenRecording {
  return structuredClone(row) as unknown as ScreenRecording;
}
