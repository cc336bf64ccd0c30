import { Injectable } from '@nestjs/common';
import { compareResultOrder, isAfter, RecordingPage, RecordingSearch } from '../../recordings/recording-query';
import { RecordingChange, RecordingLabelDefinition, RecordingLabelDefinitionStore, RecordingStore } from '../../recordings/recording.store';
import { collectPage, IndexCandidate } from '../../recordings/search/page-collector';
import type { VoiceRecording } from '../../recordings/voice-recording';
import { EmbeddedDatabase } from './embedded-database';
import { EmbeddedRecordingIndex } from './embedded-recording-index';

const RECORDINGS = 'voice_recordings';
const LABEL_DEFINITIONS = 'recording_label_definitions';

/**
 * RecordingStore on the embedded database. Documents are journaled rows; the lookup index lives in memory
 * and is rebuilt at open. The event loop makes read-decide-write atomic: nothing awaits between reading
 * the current document and handing the new one to the database (which applies it in memory at once).
 */
@Injectable()
export class EmbeddedRecordingStore extends RecordingStore {
  private readonly index = new EmbeddedRecordingIndex();

  constructor(private readonly db: EmbeddedDatabase) {
    super();
    for (const row of db.values(RECORDINGS)) this.index.add(row.doc as VoiceRecording);
  }

  async get(ccid: string, id: string): Promise<VoiceRecording | undefined> {
    return this.read(ccid, id);
  }

  async upsert(ccid: string, id: string, change: RecordingChange): Promise<VoiceRecording | undefined> {
    const current = this.read(ccid, id);
    const next = change(current);
    if (next === undefined) return current;
    if (current) this.index.remove(current);
    this.index.add(next);
    try {
      await this.db.put(RECORDINGS, keyOf(ccid, id), { doc: next });
    } catch (err) {
      // The database rolled the document back; the index follows.
      this.index.remove(next);
      if (current) this.index.add(current);
      throw err;
    }
    return this.read(ccid, id);
  }

  async delete(ccid: string, id: string, guard: (current: VoiceRecording) => void): Promise<VoiceRecording | undefined> {
    const current = this.read(ccid, id);
    if (!current) return undefined;
    guard(current);
    this.index.remove(current);
    try {
      await this.db.delete(RECORDINGS, keyOf(ccid, id));
    } catch (err) {
      this.index.add(current);
      throw err;
    }
    return current;
  }

  async search(search: RecordingSearch): Promise<RecordingPage> {
    const candidates: IndexCandidate[] = this.index
      .candidates(search.ccid, search.region, search.filters)
      .map(({ id, facts }) => ({ id, startMs: facts.startMs, facts }))
      .filter((c) => isAfter(c, search.after))
      .sort(compareResultOrder);
    return collectPage(iterate(candidates), search, async (ids) => ids.map((id) => this.read(search.ccid, id)));
  }

  private read(ccid: string, id: string): VoiceRecording | undefined {
    const row = this.db.get(RECORDINGS, keyOf(ccid, id));
    // Stored rows are frozen; callers get their own copy to merge into.
    return row ? (structuredClone(row.doc) as VoiceRecording) : undefined;
  }
}

/** Label definitions on the embedded database. */
@Injectable()
export class EmbeddedRecordingLabelDefinitionStore extends RecordingLabelDefinitionStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(ccid: string, definition: RecordingLabelDefinition): Promise<boolean> {
    return this.db.putIfAbsent(LABEL_DEFINITIONS, keyOf(ccid, definition.name), { ccid, definition });
  }

  async get(ccid: string, name: string): Promise<RecordingLabelDefinition | undefined> {
    const row = this.db.get(LABEL_DEFINITIONS, keyOf(ccid, name));
    return row ? (structuredClone(row.definition) as RecordingLabelDefinition) : undefined;
  }

  async list(ccid: string): Promise<RecordingLabelDefinition[]> {
    return [...this.db.values(LABEL_DEFINITIONS)]
      .filter((row) => row.ccid === ccid)
      .map((row) => structuredClone(row.definition) as RecordingLabelDefinition)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function keyOf(ccid: string, id: string): string {
  return `${ccid}/${id}`;
}

async function* iterate<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}
