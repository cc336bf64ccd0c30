import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { dayOf, daysBackwards, ONE_DAY_MS } from '../../common/day-buckets';
import { isAfter, matchesQuery, newestFirst, pageOf, positionOf, ScreenRecording, ScreenRecordingPage, ScreenRecordingQuery } from '../../screen-recordings/screen-recording';
import { ScreenRecordingChange, ScreenRecordingStore } from '../../screen-recordings/screen-recording.store';
import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';
import { CassandraConnection, CqlStatement } from './cassandra-connection';
import { inChunks, readDocs } from './cassandra-doc-reads';

/** How far back a search without a time window looks (days). */
const DEFAULT_LOOKBACK_DAYS = 90;
/** Documents one search request may examine before it answers with what it has (and a page token). */
const MAX_SCAN_PER_REQUEST = 20_000;
/** Compare-and-set attempts before giving up (each failure means another writer just succeeded). */
const MAX_CAS_ATTEMPTS = 20;

/**
 * ScreenRecordingStore on Cassandra. The document lives in `screen_recordings`; lookup tables by call,
 * by (user, day) and by (region, day) give every search a partition-bounded access path.
 */
@Injectable()
export class CassandraScreenRecordingStore extends ScreenRecordingStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(recording: ScreenRecording): Promise<boolean> {
    const inserted = await this.cql.execute('INSERT INTO screen_recordings (ccid, id, doc) VALUES (?, ?, ?) IF NOT EXISTS', [recording.ccid, recording.id, JSON.stringify(recording)], {
      idempotent: false,
    });
    if (!inserted.wasApplied()) {
      // The same recording created again (another node derived the same id, or a retry after a timeout whose
      // insert did land): its lookup rows are written again, so a writer that died between the insert and the
      // batch leaves no recording missing from the call and user lookups. Another recording's id stays untouched.
      const existing = inserted.first()?.doc as string | null | undefined;
      const current = existing ? (JSON.parse(existing) as ScreenRecording) : undefined;
      if (current && current.userName === recording.userName && current.callUuid === recording.callUuid) {
        await this.cql.batch(this.lookupRows(current), { idempotent: true });
      }
      return false;
    }
    await this.cql.batch(this.lookupRows(recording), { idempotent: true });
    return true;
  }

  async modify(ccid: string, id: string, change: ScreenRecordingChange): Promise<ScreenRecording | undefined> {
    const first = await this.cql.execute('SELECT doc FROM screen_recordings WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true });
    let current = first.first()?.doc as string | null | undefined;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS && current; attempt++) {
      const next = change(JSON.parse(current) as ScreenRecording);
      if (!next) return undefined;
      // A lightweight transaction on the whole document: applied only if nobody wrote it since our read.
      const result = await this.cql.execute('UPDATE screen_recordings SET doc = ? WHERE ccid = ? AND id = ? IF doc = ?', [JSON.stringify(next), ccid, id, current], {
        idempotent: false,
      });
      if (result.wasApplied()) return next;
      current = result.first()?.doc as string | null | undefined; // the winner's document comes back with the refusal
    }
    if (!current) return undefined;
    throw new RwsException(ErrorCode.DependencyUnavailable, `Screen recording [${id}] is being changed by others; retry later.`, { retryAfterSeconds: 1 });
  }

  async get(ccid: string, id: string): Promise<ScreenRecording | undefined> {
    const row = (await this.cql.execute('SELECT doc FROM screen_recordings WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true })).first();
    return row ? (JSON.parse(row.doc as string) as ScreenRecording) : undefined;
  }

  async listByCall(ccid: string, callUuid: string): Promise<ScreenRecording[]> {
    const ids = await this.cql.execute('SELECT id FROM screen_recordings_by_call WHERE ccid = ? AND call_uuid = ?', [ccid, callUuid], { idempotent: true, fetchSize: 1000 });
    return this.load(ccid, ids.rows.map((r) => String(r.id)));
  }

  async listByCalls(ccid: string, callUuids: string[]): Promise<ScreenRecording[]> {
    // One read per IN_CHUNK calls, side by side; rows come grouped by call, each call's in clustering order (oldest first).
    const results = await Promise.all(
      inChunks([...new Set(callUuids)]).map((uuids) =>
        this.cql.execute('SELECT id FROM screen_recordings_by_call WHERE ccid = ? AND call_uuid IN ?', [ccid, uuids], { idempotent: true, fetchSize: 10_000 }),
      ),
    );
    return this.load(ccid, results.flatMap((r) => r.rows.map((row) => String(row.id))));
  }

  async search(query: ScreenRecordingQuery): Promise<ScreenRecordingPage> {
    const matches = (r: ScreenRecording) => matchesQuery(query, r);
    if (query.callUuid !== undefined) {
      return pageOf((await this.listByCall(query.ccid, query.callUuid)).filter(matches).sort(newestFirst), query.limit);
    }
    const resumeAt = query.after ? new Date(query.after.startMs).toISOString() : undefined;
    const to = [query.endTime ?? new Date().toISOString(), resumeAt].filter((t): t is string => t !== undefined).sort()[0];
    const from = query.startTime
      ? new Date(Date.parse(query.startTime) - ONE_DAY_MS).toISOString()
      : new Date(Date.parse(query.endTime ?? new Date().toISOString()) - DEFAULT_LOOKBACK_DAYS * ONE_DAY_MS).toISOString();
    const out: ScreenRecording[] = [];
    let examined = 0;
    // Newest day first, access applied to every row: stop once the page (and one more) is full, or once the
    // scan budget is spent — then the page ends where the walk stopped and its token resumes from there.
    for (const day of daysBackwards(from, to, 400)) {
      const rows =
        query.userName !== undefined
          ? await this.cql.execute('SELECT id FROM screen_recordings_by_user_day WHERE ccid = ? AND user_name = ? AND day = ?', [query.ccid, query.userName, day], {
              idempotent: true,
              fetchSize: 5000,
            })
          : await this.cql.execute('SELECT id FROM screen_recordings_by_day WHERE ccid = ? AND region = ? AND day = ?', [query.ccid, query.region, day], {
              idempotent: true,
              fetchSize: 5000,
            });
      const docs = (await this.load(query.ccid, rows.rows.map((r) => String(r.id)))).sort(newestFirst);
      examined += docs.length;
      out.push(...docs.filter(matches));
      if (out.length > query.limit) break;
      const oldest = docs.filter((r) => isAfter(r, query.after)).at(-1);
      if (examined >= MAX_SCAN_PER_REQUEST && oldest) {
        const page = pageOf(out.sort(newestFirst), query.limit);
        return { recordings: page.recordings, resumeAfter: page.resumeAfter ?? positionOf(oldest) };
      }
    }
    return pageOf(out.sort(newestFirst), query.limit);
  }

  async delete(ccid: string, id: string): Promise<void> {
    const existing = await this.get(ccid, id);
    if (!existing) return;
    const removals: CqlStatement[] = [
      { query: 'DELETE FROM screen_recordings_by_call WHERE ccid = ? AND call_uuid = ? AND start_time = ? AND id = ?', params: [ccid, existing.callUuid, new Date(existing.startTime), id] },
      {
        query: 'DELETE FROM screen_recordings_by_user_day WHERE ccid = ? AND user_name = ? AND day = ? AND start_time = ? AND id = ?',
        params: [ccid, existing.userName, types.LocalDate.fromString(dayOf(existing.startTime)), new Date(existing.startTime), id],
      },
      {
        query: 'DELETE FROM screen_recordings_by_day WHERE ccid = ? AND region = ? AND day = ? AND start_time = ? AND id = ?',
        params: [ccid, existing.region, types.LocalDate.fromString(dayOf(existing.startTime)), new Date(existing.startTime), id],
      },
      { query: 'DELETE FROM screen_recordings WHERE ccid = ? AND id = ?', params: [ccid, id] },
    ];
    await this.cql.batch(removals, { idempotent: true });
  }

  private lookupRows(r: ScreenRecording): CqlStatement[] {
    const start = new Date(r.startTime);
    const day = types.LocalDate.fromString(dayOf(r.startTime));
    return [
      { query: 'INSERT INTO screen_recordings_by_call (ccid, call_uuid, start_time, id) VALUES (?, ?, ?, ?)', params: [r.ccid, r.callUuid, start, r.id] },
      { query: 'INSERT INTO screen_recordings_by_user_day (ccid, user_name, day, start_time, id) VALUES (?, ?, ?, ?, ?)', params: [r.ccid, r.userName, day, start, r.id] },
      { query: 'INSERT INTO screen_recordings_by_day (ccid, region, day, start_time, id) VALUES (?, ?, ?, ?, ?)', params: [r.ccid, r.region, day, start, r.id] },
    ];
  }

  /** The documents of these ids, in the order given (missing ones left out). */
  private async load(ccid: string, ids: string[]): Promise<ScreenRecording[]> {
    if (ids.length === 0) return [];
    const docs = await readDocs(this.cql, 'screen_recordings', ccid, ids);
    return ids.flatMap((id) => {
      const doc = docs.get(id);
      return doc === undefined ? [] : [JSON.parse(doc) as ScreenRecording];
    });
  }
}
