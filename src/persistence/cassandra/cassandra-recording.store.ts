import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { factsOf } from '../../recordings/recording-facts';
import type { RecordingPage, RecordingSearch } from '../../recordings/recording-query';
import { RecordingChange, RecordingLabelDefinition, RecordingLabelDefinitionStore, RecordingStore, UpsertOptions } from '../../recordings/recording.store';
import { chooseAccessPath } from '../../recordings/search/lookup-keys';
import { collectPage } from '../../recordings/search/page-collector';
import type { VoiceRecording } from '../../recordings/voice-recording';
import { CassandraConnection } from './cassandra-connection';
import { chunkStatements, entryStatements } from './cassandra-recording-entries';
import { walkAccessPath } from './cassandra-recording-paths';

/** Compare-and-set attempts before a write under heavy contention on one recording gives up. */
const MAX_ATTEMPTS = 32;

interface VersionedDoc {
  doc: VoiceRecording;
  version: number;
}

/**
 * RecordingStore on Cassandra. The row in recordings_by_id is the truth, written with a lightweight
 * transaction on a version number (concurrent posts of one recording, e.g. processor retries on two
 * nodes, never lose each other's media files); the lookup entries follow in logged batches. Readers
 * re-check entries against the document, so an entry left behind by an interrupted write is harmless,
 * and the retried write repairs it.
 */
@Injectable()
export class CassandraRecordingStore extends RecordingStore {
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
        if (current) await this.writeEntries(ccid, id, current.doc, current.doc);
        return current?.doc;
      }
      const version = (current?.version ?? 0) + 1;
      const applied = current
        ? await this.cql.execute(
            'UPDATE recordings_by_id SET doc = ?, region = ?, start_time = ?, version = ? WHERE ccid = ? AND id = ? IF version = ?',
            [JSON.stringify(next), next.region, new Date(factsOf(next).startMs), version, ccid, id, current.version],
            { idempotent: false },
          )
        : await this.cql.execute(
            'INSERT INTO recordings_by_id (ccid, id, region, start_time, version, doc) VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS',
            [ccid, id, next.region, new Date(factsOf(next).startMs), version, JSON.stringify(next)],
            { idempotent: false },
          );
      if (applied.wasApplied()) {
        await this.writeEntries(ccid, id, current?.doc, next);
        return next;
      }
      // Lost the race: back off a little (jittered) so that a crowd of writers of one recording thins out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
      const existing = applied.first();
      current = !current && existing?.doc ? { doc: JSON.parse(existing.doc as string) as VoiceRecording, version: existing.version as number } : await this.read(ccid, id);
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
        await this.writeEntries(ccid, id, current.doc, undefined);
        return current.doc;
      }
    }
    throw new Error(`recording ${id}: too many concurrent writers`);
  }

  search(search: RecordingSearch): Promise<RecordingPage> {
    const path = chooseAccessPath(search.filters);
    return collectPage(walkAccessPath(this.cql, path, search), search, (ids) => Promise.all(ids.map((id) => this.get(search.ccid, id))));
  }

  private async read(ccid: string, id: string): Promise<VersionedDoc | undefined> {
    const result = await this.cql.execute('SELECT doc, version FROM recordings_by_id WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true });
    const row = result.first();
    return row ? { doc: JSON.parse(row.doc as string) as VoiceRecording, version: row.version as number } : undefined;
  }

  private async writeEntries(ccid: string, id: string, before: VoiceRecording | undefined, after: VoiceRecording | undefined): Promise<void> {
    const statements = entryStatements(ccid, id, before && factsOf(before), after && factsOf(after));
    await Promise.all(chunkStatements(statements).map((chunk) => this.cql.batch(chunk, { idempotent: true, logged: true })));
  }
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
