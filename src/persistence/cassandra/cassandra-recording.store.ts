import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { factsOf } from '../../recordings/recording-facts';
import type { RecordingPage, RecordingSearch } from '../../recordings/recording-query';
import { RecordingChange, RecordingLabelDefinition, RecordingLabelDefinitionStore, RecordingStore, UpsertOptions } from '../../recordings/recording.store';
import { chooseAccessPath } from '../../recordings/search/lookup-keys';
import { collectPage } from '../../recordings/search/page-collector';
import type { VoiceRecording } from '../../recordings/voice-recording';
import { CassandraConnection } from './cassandra-connection';
import { readDocs } from './cassandra-doc-reads';
import { chunkStatements, EntryStatement, entryStatements } from './cassandra-recording-entries';
import { walkAccessPath } from './cassandra-recording-paths';

/** Compare-and-set attempts before a write under heavy contention on one recording gives up. */
const MAX_ATTEMPTS = 32;
/** recording_days rows this node knows are written (they are never deleted), so it does not write them again. */
const MAX_LISTED_DAYS = 100_000;

interface VersionedDoc {
  doc: VoiceRecording;
  version: number;
  /** Write time of this version's lookup entries (µs); 0 for documents written before stamps existed. */
  stamp: number;
}

/**
 * RecordingStore on Cassandra. The row in recordings_by_id is the truth, written with a lightweight
 * transaction on a version number (concurrent posts of one recording, e.g. processor retries on two
 * nodes, never lose each other's media files); the lookup entries follow in unlogged batches, sent at once.
 *
 * No atomicity is needed among the entries: readers re-check every entry against the document, so an
 * entry left behind by an interrupted write is harmless, the caller gets the error, and its retry (an
 * unchanged upsert still writes the entries) repairs what is missing. What matters is their order:
 * each version carries a stamp that grows with the version, and its entries are written (and the
 * previous version's deleted) at that stamp as their Cassandra write time, so a slow writer of an older
 * version can never overwrite a newer version's entries with older facts.
 */
@Injectable()
export class CassandraRecordingStore extends RecordingStore {
  private readonly listedDays = new Set<string>();

  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async get(ccid: string, id: string): Promise<VoiceRecording | undefined> {
    return (await this.read(ccid, id))?.doc;
  }

  async upsert(ccid: string, id: string, change: RecordingChange, options: UpsertOptions = {}): Promise<VoiceRecording | undefined> {
    // A new recording needs no read: the conditional insert returns the existing row when there is one.
    let current = options.likelyNew ? undefined : await this.read(ccid, id);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const next = change(current?.doc);
      if (next === undefined) {
        if (current) await this.writeEntries(ccid, id, current.doc, current.doc, current.stamp);
        return current?.doc;
      }
      const version = (current?.version ?? 0) + 1;
      const stamp = nextStamp(current?.stamp);
      const applied = current
        ? await this.cql.execute(
            'UPDATE recordings_by_id SET doc = ?, region = ?, start_time = ?, version = ?, stamp = ? WHERE ccid = ? AND id = ? IF version = ?',
            [JSON.stringify(next), next.region, new Date(factsOf(next).startMs), version, stamp, ccid, id, current.version],
            { idempotent: false },
          )
        : await this.cql.execute(
            'INSERT INTO recordings_by_id (ccid, id, region, start_time, version, stamp, doc) VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS',
            [ccid, id, next.region, new Date(factsOf(next).startMs), version, stamp, JSON.stringify(next)],
            { idempotent: false },
          );
      if (applied.wasApplied()) {
        await this.writeEntries(ccid, id, current?.doc, next, stamp);
        return next;
      }
      // Lost the race: back off a little (jittered) so that a crowd of writers of one recording thins out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
      const existing = applied.first();
      current = !current && existing?.doc ? toVersioned(existing) : await this.read(ccid, id);
    }
    throw new Error(`recording ${id}: too many concurrent writers`);
  }

  async delete(ccid: string, id: string, guard: (current: VoiceRecording) => void): Promise<VoiceRecording | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(ccid, id);
      if (!current) return undefined;
      guard(current.doc);
      const result = await this.cql.execute('DELETE FROM recordings_by_id WHERE ccid = ? AND id = ? IF version = ?', [ccid, id, current.version], { idempotent: false });
      if (result.wasApplied()) {
        await this.writeEntries(ccid, id, current.doc, undefined, nextStamp(current.stamp));
        return current.doc;
      }
    }
    throw new Error(`recording ${id}: too many concurrent writers`);
  }

  search(search: RecordingSearch): Promise<RecordingPage> {
    const path = chooseAccessPath(search.filters);
    return collectPage(walkAccessPath(this.cql, path, search), search, (ids) => this.readMany(search.ccid, ids));
  }

  /** Documents by id, in the order given (IN reads, not one read per id). */
  private async readMany(ccid: string, ids: string[]): Promise<(VoiceRecording | undefined)[]> {
    const docs = await readDocs(this.cql, 'recordings_by_id', ccid, ids);
    return ids.map((id) => {
      const doc = docs.get(id);
      return doc === undefined ? undefined : (JSON.parse(doc) as VoiceRecording);
    });
  }

  private async read(ccid: string, id: string): Promise<VersionedDoc | undefined> {
    const result = await this.cql.execute('SELECT doc, version, stamp FROM recordings_by_id WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true });
    const row = result.first();
    return row ? toVersioned(row) : undefined;
  }

  /**
   * Brings the lookup entries from `before` to `after`, every cell written at `stamp` (a document written
   * before stamps existed has 0: its unchanged entries are rewritten at the driver's clock, as they were).
   */
  private async writeEntries(ccid: string, id: string, before: VoiceRecording | undefined, after: VoiceRecording | undefined, stamp: number): Promise<void> {
    const statements = entryStatements(ccid, id, before && factsOf(before), after && factsOf(after)).filter((s) => !s.listedDay || !this.listedDays.has(s.listedDay));
    await Promise.all(
      chunkStatements(statements).map(async (chunk) => {
        await this.cql.batch(chunk, { idempotent: true, logged: false, timestamp: stamp || undefined });
        this.rememberListedDays(chunk);
      }),
    );
  }

  private rememberListedDays(written: EntryStatement[]): void {
    for (const s of written) {
      if (!s.listedDay) continue;
      if (this.listedDays.size >= MAX_LISTED_DAYS) this.listedDays.clear();
      this.listedDays.add(s.listedDay);
    }
  }
}

/**
 * The stamp of a new version: after the previous one's, and otherwise the current time in µs (the unit of
 * Cassandra write times), so that a recording deleted and posted again gets entries newer than the deletes.
 */
function nextStamp(previous: number | undefined): number {
  return Math.max((previous ?? 0) + 1, Date.now() * 1000);
}

function toVersioned(row: types.Row): VersionedDoc {
  const stamp = row.stamp as types.Long | null;
  return { doc: JSON.parse(row.doc as string) as VoiceRecording, version: row.version as number, stamp: stamp ? stamp.toNumber() : 0 };
}

/** Label definitions on Cassandra: one partition per contact center. */
@Injectable()
export class CassandraRecordingLabelDefinitionStore extends RecordingLabelDefinitionStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(ccid: string, definition: RecordingLabelDefinition): Promise<boolean> {
    const result = await this.cql.execute(
      'INSERT INTO recording_label_definitions (ccid, name, definition) VALUES (?, ?, ?) IF NOT EXISTS',
      [ccid, definition.name, JSON.stringify(definition)],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async get(ccid: string, name: string): Promise<RecordingLabelDefinition | undefined> {
    const result = await this.cql.execute('SELECT definition FROM recording_label_definitions WHERE ccid = ? AND name = ?', [ccid, name], { idempotent: true });
    const row = result.first();
    return row ? toDefinition(row) : undefined;
  }

  async list(ccid: string): Promise<RecordingLabelDefinition[]> {
    const result = await this.cql.execute('SELECT definition FROM recording_label_definitions WHERE ccid = ?', [ccid], { idempotent: true, fetchSize: 10_000 });
    return result.rows.map(toDefinition);
  }
}

function toDefinition(row: types.Row): RecordingLabelDefinition {
  return JSON.parse(row.definition as string) as RecordingLabelDefinition;
}
