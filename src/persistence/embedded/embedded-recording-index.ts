import { factsOf, RecordingFacts } from '../../recordings/recording-facts';
import { dayOf, daysTouched, lookupKeysOf, LookupKind } from '../../recordings/search/lookup-keys';
import type { RecordingFilters } from '../../recordings/recording-query';
import type { VoiceRecording } from '../../recordings/voice-recording';

/** The recordings of one contact center and region, with in-memory lookup sets. */
class RegionIndex {
  readonly facts = new Map<string, RecordingFacts>();
  readonly byKey = new Map<string, Set<string>>();
  readonly byDay = new Map<number, Set<string>>();
}

/**
 * In-memory secondary index of the embedded store, rebuilt from the documents at open: exact-value lookup
 * sets (agent, user, partition, label, call type, CallUUID, ConnID, numbers) and day buckets, the same
 * access paths as the Cassandra tables. Candidate sets are chosen by their actual size.
 */
export class EmbeddedRecordingIndex {
  private readonly regions = new Map<string, RegionIndex>();

  add(doc: VoiceRecording): void {
    const facts = factsOf(doc);
    const region = this.region(doc.ccid, facts.region, true)!;
    region.facts.set(doc.id, facts);
    for (const key of keysOf(facts)) addTo(region.byKey, key, doc.id);
    for (const day of daysTouched(facts)) addTo(region.byDay, day, doc.id);
  }

  remove(doc: VoiceRecording): void {
    const facts = factsOf(doc);
    const region = this.region(doc.ccid, facts.region, false);
    if (!region) return;
    region.facts.delete(doc.id);
    for (const key of keysOf(facts)) removeFrom(region.byKey, key, doc.id);
    for (const day of daysTouched(facts)) removeFrom(region.byDay, day, doc.id);
  }

  /** The facts of the smallest candidate set the filters allow (the caller re-checks every filter). */
  candidates(ccid: string, regionName: string, filters: RecordingFilters): { id: string; facts: RecordingFacts }[] {
    const region = this.region(ccid, regionName, false);
    if (!region) return [];
    const sets: Set<string>[] = [];
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
    for (const [kind, value] of exact) {
      if (value !== undefined) sets.push(region.byKey.get(keyOf(kind, value)) ?? new Set());
    }
    if (filters.fromMs !== undefined || filters.toMs !== undefined) {
      const days = new Set<string>();
      const from = filters.fromMs === undefined ? -Infinity : dayOf(filters.fromMs);
      const to = filters.toMs === undefined ? Infinity : dayOf(filters.toMs);
      for (const [day, ids] of region.byDay) if (day >= from && day <= to) ids.forEach((id) => days.add(id));
      sets.push(days);
    }
    const ids = sets.length ? sets.reduce((a, b) => (b.size < a.size ? b : a)) : region.facts.keys();
    const out: { id: string; facts: RecordingFacts }[] = [];
    for (const id of ids) out.push({ id, facts: region.facts.get(id)! });
    return out;
  }

  private region(ccid: string, region: string, create: boolean): RegionIndex | undefined {
    const name = `${ccid}/${region}`;
    let index = this.regions.get(name);
    if (!index && create) {
      index = new RegionIndex();
      this.regions.set(name, index);
    }
    return index;
  }
}

function keysOf(facts: RecordingFacts): string[] {
  const keys = lookupKeysOf(facts).map((k) => keyOf(k.kind, k.value));
  keys.push(keyOf('caller', facts.caller), keyOf('dialed', facts.dialed));
  return [...new Set(keys)];
}

function keyOf(kind: string, value: string): string {
  return `${kind}\u0000${value}`;
}

function addTo<K>(map: Map<K, Set<string>>, key: K, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom<K>(map: Map<K, Set<string>>, key: K, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
