import type { RecordingFacts } from '../../recordings/recording-facts';

/** Marks the compact form (a JSON array); entries written before it hold the facts as a JSON object. */
const COMPACT_V1 = 1;

/**
 * The facts stored beside each lookup entry, in a compact positional form without what the entry's key
 * already holds (region, start time): a recording has about a dozen entries, so this text is most of
 * what an insert writes, and it keeps a recording's entries within one batch under Cassandra's 5 KiB
 * warning threshold.
 */
export function encodeEntryFacts(f: RecordingFacts): string {
  return JSON.stringify([COMPACT_V1, f.timed ? 1 : 0, f.stopMs, f.caller, f.dialed, f.callType ?? null, f.agentIds, f.userNames, f.partitions, f.labels, f.callUuids, f.connIds, f.accessGroups]);
}

/** The facts of an entry read back; `region` and `startMs` come from the entry's key. */
export function decodeEntryFacts(text: string, region: string, startMs: number): RecordingFacts {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) return value as RecordingFacts;
  const [, timed, stopMs, caller, dialed, callType, agentIds, userNames, partitions, labels, callUuids, connIds, accessGroups] = value as [
    number,
    number,
    number,
    string,
    string,
    string | null,
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
    string[],
  ];
  return {
    region,
    startMs,
    stopMs,
    timed: timed === 1,
    caller,
    dialed,
    callType: callType ?? undefined,
    agentIds,
    userNames,
    partitions,
    labels,
    callUuids,
    connIds,
    accessGroups,
  };
}
