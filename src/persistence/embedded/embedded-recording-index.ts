import { factsOf, RecordingFacts } from '../../recordings/recording-facts';
import { reverseNumber } from '../../recordings/number-pattern';
import { lookupKeysOf, NumberField } from '../../recordings/search/lookup-keys';
import type { VoiceRecording } from '../../recordings/voice-recording';
import type { IndexEntry, RowIndex } from './embedded-database';

export const RECORDINGS = 'voice_recordings';

/**
 * The recordings' secondary index in SQLite, per contact center and region:
 * - one term per exact-value lookup (agent, user, partition, label, call type, CallUUID, ConnID, caller and
 *   dialed numbers), entries sorted by start time, so a walk meets recordings in result order;
 * - one term holding every recording with its facts, for searches with no usable literal (filtered as walked);
 * - number terms (caller, dialed, and both reversed) sorted by the number, so a `1617*` or `*0431` pattern
 *   is a range read; the entry carries the start time, and the range is ordered by time in memory.
 */
export const RECORDING_INDEX: RowIndex = {
  name: 'recordings',
  collection: RECORDINGS,
  version: 2,
  entriesOf(_key, row): IndexEntry[] {
    const doc = row.doc as VoiceRecording;
    const facts = factsOf(doc);
    const terms = new Set<string>();
    for (const { kind, value } of lookupKeysOf(facts)) terms.add(lookupTerm(doc.ccid, facts.region, kind, value));
    terms.add(lookupTerm(doc.ccid, facts.region, 'caller', facts.caller));
    terms.add(lookupTerm(doc.ccid, facts.region, 'dialed', facts.dialed));
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
