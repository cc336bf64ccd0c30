import { factsOf, RecordingFacts } from '../../recordings/recording-facts';
import { lookupKeysOf, LookupKind } from '../../recordings/search/lookup-keys';
import type { RecordingFilters } from '../../recordings/recording-query';
import type { VoiceRecording } from '../../recordings/voice-recording';
import type { IndexEntry, RowIndex } from './embedded-database';

export const RECORDINGS = 'voice_recordings';

/**
 * The recordings' secondary index in SQLite: per contact center and region, one term per exact-value
 * lookup (agent, user, partition, label, call type, CallUUID, ConnID, caller and dialed numbers) and one
 * term holding every recording with its facts (for searches with no exact filter, filtered as walked).
 * Entries sort by start time, so a walk meets recordings in result order and stops when the page is full.
 */
export const RECORDING_INDEX: RowIndex = {
  name: 'recordings',
  collection: RECORDINGS,
  version: 1,
  entriesOf(_key, row): IndexEntry[] {
    const doc = row.doc as VoiceRecording;
    const facts = factsOf(doc);
    const terms = new Set<string>();
    for (const { kind, value } of lookupKeysOf(facts)) terms.add(lookupTerm(doc.ccid, facts.region, kind, value));
    terms.add(lookupTerm(doc.ccid, facts.region, 'caller', facts.caller));
    terms.add(lookupTerm(doc.ccid, facts.region, 'dialed', facts.dialed));
    const entries: IndexEntry[] = [...terms].map((term) => ({ term, sort: facts.startMs }));
    entries.push({ term: allTerm(doc.ccid, facts.region), sort: facts.startMs, data: JSON.stringify(facts) });
    return entries;
  },
};

/** The most selective exact term the filters allow, or the term of every recording of the region. */
export function termFor(ccid: string, region: string, filters: RecordingFilters): { term: string; withFacts: boolean } {
  const exact: [LookupKind | 'caller' | 'dialed', string | undefined][] = [
    ['callUuid', filters.callUuid],
    ['connId', filters.connId],
    ['caller', filters.caller?.exact],
    ['dialed', filters.dialed?.exact],
    ['agent', filters.agentId],
    ['user', filters.userName],
    ['label', filters.label],
    ['partition', filters.partition],
    ['callType', filters.callType],
  ];
  for (const [kind, value] of exact) if (value !== undefined) return { term: lookupTerm(ccid, region, kind, value), withFacts: false };
  return { term: allTerm(ccid, region), withFacts: true };
}

export function factsFromEntry(data: string): RecordingFacts {
  return JSON.parse(data) as RecordingFacts;
}

function lookupTerm(ccid: string, region: string, kind: string, value: string): string {
  return `${ccid}\u0000${region}\u0000${kind}\u0000${value}`;
}

function allTerm(ccid: string, region: string): string {
  return `${ccid}\u0000${region}\u0000*`;
}
