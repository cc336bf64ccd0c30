import type { RecordingFacts } from '../recording-facts';
import type { RecordingFilters } from '../recording-query';

/** Exact-value lookups an index keeps per recording (each value → the recordings holding it). */
export type LookupKind = 'agent' | 'user' | 'partition' | 'label' | 'callType' | 'callUuid' | 'connId';

/** Lookups whose entries are few per value (one call), so they are not split into day buckets. */
export const UNBUCKETED_KINDS: ReadonlySet<LookupKind> = new Set(['callUuid', 'connId']);

const DAY_MS = 86_400_000;

/** The UTC day number of an instant (days since 1970-01-01). */
export function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

export function dayStartMs(day: number): number {
  return day * DAY_MS;
}

/** Every UTC day a recording touches, newest first: it has index entries in each, so windows find it. */
export function daysTouched(facts: Pick<RecordingFacts, 'startMs' | 'stopMs'>): number[] {
  const days: number[] = [];
  for (let d = dayOf(facts.stopMs); d >= dayOf(facts.startMs); d--) days.push(d);
  return days;
}

/** The exact-value lookup entries of a recording (numbers have their own index, see AccessPath). */
export function lookupKeysOf(facts: RecordingFacts): { kind: LookupKind; value: string }[] {
  const keys: { kind: LookupKind; value: string }[] = [];
  const add = (kind: LookupKind, values: string[]) => values.forEach((value) => keys.push({ kind, value }));
  add('agent', facts.agentIds);
  add('user', facts.userNames);
  add('partition', facts.partitions);
  add('label', facts.labels);
  add('callType', facts.callType ? [facts.callType] : []);
  add('callUuid', facts.callUuids);
  add('connId', facts.connIds);
  return keys;
}

/** How a search reaches its candidates: the most selective filter present, the others apply in code. */
export type AccessPath =
  | { kind: 'lookup'; lookup: LookupKind; value: string }
  | { kind: 'numberExact'; field: 'caller' | 'dialed'; number: string }
  | { kind: 'numberRange'; field: NumberField; prefix: string }
  | { kind: 'days' };

/** Number range index fields: the normalised numbers and their reversed forms (for `*1234` suffix patterns). */
export type NumberField = 'caller' | 'dialed' | 'callerRev' | 'dialedRev';

/**
 * Picks the access path. Order of preference, most selective first: CallUUID, ConnID, an exact number,
 * agent, user name, label, a number with a literal head or tail (longest literal wins), partition, call
 * type; otherwise the day buckets of the time window (or of all days).
 */
export function chooseAccessPath(filters: RecordingFilters): AccessPath {
  const lookup = (kind: LookupKind, value: string | undefined): AccessPath | undefined => (value === undefined ? undefined : { kind: 'lookup', lookup: kind, value });
  const ranged: { kind: 'numberRange'; field: NumberField; prefix: string }[] = [];
  for (const [pattern, field, rev] of [
    [filters.caller, 'caller', 'callerRev'],
    [filters.dialed, 'dialed', 'dialedRev'],
  ] as const) {
    if (pattern?.prefix) ranged.push({ kind: 'numberRange', field, prefix: pattern.prefix });
    if (pattern?.suffix) ranged.push({ kind: 'numberRange', field: rev, prefix: [...pattern.suffix].reverse().join('') });
  }
  ranged.sort((a, b) => b.prefix.length - a.prefix.length);
  return (
    lookup('callUuid', filters.callUuid) ??
    lookup('connId', filters.connId) ??
    (filters.caller?.exact !== undefined ? { kind: 'numberExact', field: 'caller', number: filters.caller.exact } : undefined) ??
    (filters.dialed?.exact !== undefined ? { kind: 'numberExact', field: 'dialed', number: filters.dialed.exact } : undefined) ??
    lookup('agent', filters.agentId) ??
    lookup('user', filters.userName) ??
    lookup('label', filters.label) ??
    ranged[0] ??
    lookup('partition', filters.partition) ??
    lookup('callType', filters.callType) ?? { kind: 'days' }
  );
}
