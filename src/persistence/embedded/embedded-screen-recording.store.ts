import { Injectable } from '@nestjs/common';
import { isAfter, isOpen, matchesQuery, newestFirst, pageOf, positionOf, ScreenRecording, ScreenRecordingPage, ScreenRecordingQuery } from '../../screen-recordings/screen-recording';
import { ScreenRecordingChange, ScreenRecordingStore } from '../../screen-recordings/screen-recording.store';
import { EmbeddedDatabase, IndexScan, RowIndex } from './embedded-database';

const SCREEN_RECORDINGS = 'screen_recordings';
/** Index entries one search may examine before it answers with the page so far and a position to resume from. */
const MAX_SCAN_PER_REQUEST = 20_000;

const OPEN_TERM = 'open';

/** Terms per call, per region and per region and user, entries by start time. */
const SCREEN_INDEX: RowIndex = {
  name: 'screen_recordings',
  collection: SCREEN_RECORDINGS,
  version: 2,
  entriesOf(key, row) {
    const r = row as unknown as ScreenRecording;
    const entries = [callTerm(r.ccid, r.callUuid), regionTerm(r.ccid, r.region), userTerm(r.ccid, r.region, r.userName)].map((term) => ({ term, sort: r.startTime }));
    // Open recordings by key, for the missing-recording detector (they leave the term once final with an empty outbox).
    return isOpen(r) ? [...entries, { term: OPEN_TERM, sort: key }] : entries;
  },
};

/** ScreenRecordingStore on the embedded database; lists and searches walk SCREEN_INDEX. */
@Injectable()
export class EmbeddedScreenRecordingStore extends ScreenRecordingStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
    db.defineIndex(SCREEN_INDEX);
  }

  create(recording: ScreenRecording): Promise<boolean> {
    return this.db.putIfAbsent(SCREEN_RECORDINGS, key(recording.ccid, recording.id), toRow(recording));
  }

  async modify(ccid: string, id: string, change: ScreenRecordingChange): Promise<ScreenRecording | undefined> {
    // Atomic without a retry: nothing else runs between the read and `put` (which reads see at once).
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
    return this.walk(callTerm(ccid, callUuid)).sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
  }

  async listByCalls(ccid: string, callUuids: string[]): Promise<ScreenRecording[]> {
    return [...new Set(callUuids)]
      .flatMap((callUuid) => this.walk(callTerm(ccid, callUuid)))
      .sort((a, b) => a.callUuid.localeCompare(b.callUuid) || a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
  }

  async search(query: ScreenRecordingQuery): Promise<ScreenRecordingPage> {
    const term =
      query.callUuid !== undefined
        ? callTerm(query.ccid, query.callUuid)
        : query.userName !== undefined
          ? userTerm(query.ccid, query.region, query.userName)
          : regionTerm(query.ccid, query.region);
    const scan: IndexScan = query.endTime === undefined ? {} : { max: query.endTime };
    const found: ScreenRecording[] = [];
    let examined = 0;
    let oldest: ScreenRecording | undefined;
    for (const entry of this.db.scanDescending(SCREEN_INDEX.name, term, scan)) {
      // Newest first: once the page and one more are found, only recordings of the last start time can still displace one (ids ascend).
      if (found.length > query.limit && entry.sort !== found[found.length - 1].startTime) break;
      const row = this.db.get(SCREEN_RECORDINGS, entry.key);
      if (!row) continue;
      const r = fromRow(row);
      if (matchesQuery(query, r)) found.push(r);
      if (isAfter(r, query.after)) oldest = r;
      // The walk's budget is spent: the page ends where it stopped, and its position resumes from there.
      if (++examined >= MAX_SCAN_PER_REQUEST && found.length <= query.limit && oldest) {
        return { recordings: found.sort(newestFirst), resumeAfter: positionOf(oldest) };
      }
    }
    return pageOf(found.sort(newestFirst), query.limit);
  }

  async delete(ccid: string, id: string): Promise<void> {
    await this.db.delete(SCREEN_RECORDINGS, key(ccid, id));
  }

  async listOpen(limit: number, after?: string): Promise<ScreenRecording[]> {
    const entries = this.db.rangeAscending(SCREEN_INDEX.name, OPEN_TERM, after === undefined ? '' : `${after}\u0000`, '\uffff', limit);
    return entries.flatMap((entry) => {
      const row = this.db.get(SCREEN_RECORDINGS, entry.key);
      return row ? [fromRow(row)] : [];
    });
  }

  private walk(term: string): ScreenRecording[] {
    const out: ScreenRecording[] = [];
    for (const entry of this.db.scanDescending(SCREEN_INDEX.name, term)) {
      const row = this.db.get(SCREEN_RECORDINGS, entry.key);
      if (row) out.push(fromRow(row));
    }
    return out;
  }
}

function key(ccid: string, id: string): string {
  return `${ccid}/${id}`;
}

function callTerm(ccid: string, callUuid: string): string {
  return `call\u0000${ccid}\u0000${callUuid}`;
}

function regionTerm(ccid: string, region: string): string {
  return `region\u0000${ccid}\u0000${region}`;
}

function userTerm(ccid: string, region: string, userName: string): string {
  return `user\u0000${ccid}\u0000${region}\u0000${userName}`;
}

function toRow(recording: ScreenRecording): Record<string, unknown> {
  return { ...recording };
}

function fromRow(row: Record<string, unknown>): ScreenRecording {
  return row as unknown as ScreenRecording;
}
