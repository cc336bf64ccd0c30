import { factsOf, RecordingFacts } from '../../recordings/recording-facts';
import { reverseNumber } from '../../recordings/number-pattern';
import { LookupKind, lookupKeysOf, NumberField } from '../../recordings/search/lookup-keys';
import type { VoiceRecording } from '../../recordings/voice-recording';
import type { IndexEntry, RowIndex } from './embedded-database';

export const RECORDINGS = 'voice_recordings';

/** Lookups with a term of their own; the others are filters of the walk over every recording. */
export const INDEXED_LOOKUPS: ReadonlySet<LookupKind> = new Set(['agent', 'user', 'label', 'callUuid', 'connId']);

/**
 * The recordings' secondary index in SQLite, per contact center and region:
 * - one term per selective exact-value lookup (agent, user, label, CallUUID, ConnID), entries sorted by
 *   start time, so a walk meets recordings in result order;
 * - one term holding every recording with its facts, for searches with no selective literal (filtered as
 *   walked: a partition or call type matches a large share of recordings, so the walk fills a page quickly);
 * - number terms (caller, dialed, and both reversed) sorted by the number, so an exact number, `1617*` or
 *   `*0431` is a range read; the entry carries the start time, and the range is ordered by time in memory.
 * Every entry costs a b-tree insert and a page in the write-ahead log, hence no more terms than searches use.
 */
export const RECORDING_INDEX: RowIndex = {
  name: 'recordings',
  collection: RECORDINGS,
  version: 3,
  entriesOf(_key, row): IndexEntry[] {
    const doc = row.doc as VoiceRecording;
    const facts = factsOf(doc);
    const terms = new Set<string>();
    for (const { kind, value } of lookupKeysOf(facts)) if (INDEXED_LOOKUPS.has(kind)) terms.add(lookupTerm(doc.ccid, facts.region, kind, value));
    const entries: IndexEntry[] = [...terms].map((term) => ({ term, sort: facts.startMs }));
    entries.push({ term: allTerm(doc.ccid, facts.region), sort: facts.startMs, data: JSON.stringify(facts) });
    const numbers: [NumberField, string][] = [
      ['caller', facts.caller],
      ['dialed', facts.dialed],
      ['callerRev', reverseNumber(facts.caller)],
      ['dialedRev', reverseNumber(facts.dialed)],
    ];
    for (const [field, number] of numbers) {
      if (number) entries.push({ term: numberTerm(doc.ccid, facts.region, field), sort: number, data: String(facts.startMs) });
    }
    return entries;
  },
};

export function factsFromEntry(data: string): RecordingFacts {
  return JSON.parse(data) as RecordingFacts;
}

export function lookupTerm(ccid: string, region: string, kind: string, value: string): string {
  return `${ccid}\u0000${region}\u0000${kind}\u0000${value}`;
}

export function allTerm(ccid: string, region: string): string {
  return `${ccid}\u0000${region}\u0000*`;
}

export function numberTerm(ccid: string, region: string, field: NumberField): string {
  return `${ccid}\u0000${region}\u0000#${field}`;
}
