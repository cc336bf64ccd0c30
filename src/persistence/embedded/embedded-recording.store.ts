import { Injectable } from '@nestjs/common';
import { factsOf } from '../../recordings/recording-facts';
import { compareResultOrder, isAfter, RecordingPage, RecordingSearch } from '../../recordings/recording-query';
import { chooseAccessPath } from '../../recordings/search/lookup-keys';
import { RecordingChange, RecordingLabelDefinition, RecordingLabelDefinitionStore, RecordingStore } from '../../recordings/recording.store';
import { collectPage, IndexCandidate } from '../../recordings/search/page-collector';
import type { VoiceRecording } from '../../recordings/voice-recording';
import { EmbeddedDatabase, IndexScan } from './embedded-database';
import { allTerm, factsFromEntry, INDEXED_LOOKUPS, lookupTerm, numberTerm, RECORDING_INDEX, RECORDINGS } from './embedded-recording-index';

const LABEL_DEFINITIONS = 'recording_label_definitions';
/** Per contact center and region, the longest recording (stop − start): how far before a window a match can start. */
const SPANS = 'recording_spans';

/**
 * RecordingStore on the embedded database. Documents are rows; searches walk the SQLite index of
 * RECORDING_INDEX in result order. The event loop makes read-decide-write atomic: nothing awaits between
 * reading the current document and handing the new one to the database (which shows it to reads at once).
 */
@Injectable()
export class EmbeddedRecordingStore extends RecordingStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
    db.defineIndex(RECORDING_INDEX);
  }

  async get(ccid: string, id: string): Promise<VoiceRecording | undefined> {
    return this.read(ccid, id);
  }

  async upsert(ccid: string, id: string, change: RecordingChange): Promise<VoiceRecording | undefined> {
    const current = this.read(ccid, id);
    const next = change(current);
    if (next === undefined) return current;
    // Both rows join the same transaction (same turn of the event loop).
    await Promise.all([this.db.put(RECORDINGS, keyOf(ccid, id), { doc: next }), this.widenSpan(next)]);
    // `next` is what was committed: reading it back would only parse the row just written.
    return next;
  }

  async delete(ccid: string, id: string, guard: (current: VoiceRecording) => void): Promise<VoiceRecording | undefined> {
    const current = this.read(ccid, id);
    if (!current) return undefined;
    guard(current);
    await this.db.delete(RECORDINGS, keyOf(ccid, id));
    return current;
  }

  async search(search: RecordingSearch): Promise<RecordingPage> {
    const docs = new Map<string, VoiceRecording | undefined>();
    const load = (id: string) => {
      if (!docs.has(id)) docs.set(id, this.read(search.ccid, id));
      return docs.get(id);
    };
    return collectPage(this.candidates(search, load), search, async (ids) => ids.map(load));
  }

  /** Candidates in result order along the access path the filters allow (the caller re-checks every filter). */
  private async *candidates(search: RecordingSearch, load: (id: string) => VoiceRecording | undefined): AsyncIterable<IndexCandidate> {
    const { ccid, region, filters } = search;
    const path = chooseAccessPath(filters);
    const prefix = ccid.length + 1;
    const withDoc = (id: string, startMs: number): IndexCandidate | undefined => {
      const doc = load(id);
      return doc && { id, startMs, facts: factsOf(doc) };
    };
    const range = path.kind === 'numberRange' ? { field: path.field, from: path.prefix, below: path.prefix + '\uffff' } : path.kind === 'numberExact' ? { field: path.field, from: path.number, below: path.number + '\u0000' } : undefined;
    if (range) {
      const inRange = this.db.rangeAscending(RECORDING_INDEX.name, numberTerm(ccid, region, range.field), range.from, range.below, search.maxScan + 1);
      // A range this wide is no better than walking every recording in time order (below).
      if (inRange.length <= search.maxScan) {
        const ordered = inRange
          .map((e) => ({ id: e.key.slice(prefix), startMs: Number(e.data) }))
          .filter((c) => isAfter(c, search.after) && (filters.toMs === undefined || c.startMs <= filters.toMs))
          .sort(compareResultOrder);
        for (const c of ordered) {
          const candidate = withDoc(c.id, c.startMs);
          if (candidate) yield candidate;
        }
        return;
      }
    }
    const scan: IndexScan = {};
    if (search.after) scan.before = { sort: search.after.startMs, key: keyOf(ccid, search.after.id) };
    if (filters.toMs !== undefined) scan.max = filters.toMs;
    if (filters.fromMs !== undefined) scan.min = filters.fromMs - this.longestSpan(ccid, region);
    const term = path.kind === 'lookup' && INDEXED_LOOKUPS.has(path.lookup) ? lookupTerm(ccid, region, path.lookup, path.value) : allTerm(ccid, region);
    for (const entry of this.db.scanDescending(RECORDING_INDEX.name, term, scan)) {
      const id = entry.key.slice(prefix);
      const startMs = entry.sort as number;
      if (entry.data) {
        yield { id, startMs, facts: factsFromEntry(entry.data) };
      } else {
        const candidate = withDoc(id, startMs);
        if (candidate) yield candidate;
      }
    }
  }

  private read(ccid: string, id: string): VoiceRecording | undefined {
    return this.db.get(RECORDINGS, keyOf(ccid, id))?.doc as VoiceRecording | undefined;
  }

  private longestSpan(ccid: string, region: string): number {
    return (this.db.get(SPANS, keyOf(ccid, region))?.longestMs as number | undefined) ?? 0;
  }

  private async widenSpan(doc: VoiceRecording): Promise<void> {
    const facts = factsOf(doc);
    const span = facts.stopMs - facts.startMs;
    if (span > this.longestSpan(doc.ccid, facts.region)) await this.db.put(SPANS, keyOf(doc.ccid, facts.region), { longestMs: span });
  }
}

/** Label definitions on the embedded database (a few per contact center: walked). */
@Injectable()
export class EmbeddedRecordingLabelDefinitionStore extends RecordingLabelDefinitionStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(ccid: string, definition: RecordingLabelDefinition): Promise<boolean> {
    return this.db.putIfAbsent(LABEL_DEFINITIONS, keyOf(ccid, definition.name), { ccid, definition });
  }

  async get(ccid: string, name: string): Promise<RecordingLabelDefinition | undefined> {
    return this.db.get(LABEL_DEFINITIONS, keyOf(ccid, name))?.definition as RecordingLabelDefinition | undefined;
  }

  async list(ccid: string): Promise<RecordingLabelDefinition[]> {
    return [...this.db.values(LABEL_DEFINITIONS)]
      .filter((row) => row.ccid === ccid)
      .map((row) => row.definition as RecordingLabelDefinition)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function keyOf(ccid: string, id: string): string {
  return `${ccid}/${id}`;
}
