import { normalizePhoneNumber } from './number-pattern';
import { parseRwsTimestamp } from '../common/rws-time';
import type { JsonObject, VoiceRecording } from './voice-recording';

/**
 * What search and access control need to know of a recording, derived from its document. Stored beside
 * index rows (Cassandra) or in memory (embedded) so that filters run without re-reading documents.
 */
export interface RecordingFacts {
  region: string;
  /** Earliest known time, start or stop (document or media files), epoch ms; 0 when the recording has no time at all. */
  startMs: number;
  /** Latest known time, start or stop; never before startMs. */
  stopMs: number;
  /** False when no time was ever posted: such a recording matches no time window. */
  timed: boolean;
  caller: string;
  dialed: string;
  callType?: string;
  agentIds: string[];
  userNames: string[];
  partitions: string[];
  labels: string[];
  callUuids: string[];
  connIds: string[];
  /** The recorded agents' hierarchies (`/Region/Team/Agent`), from the media files' `accessgroups`. */
  accessGroups: string[];
}

/** Facts already derived, per document object: documents are never mutated once built (merges make new ones). */
const derived = new WeakMap<VoiceRecording, RecordingFacts>();

/** Derives the facts of a stored recording (once per document object). */
export function factsOf(doc: VoiceRecording): RecordingFacts {
  let facts = derived.get(doc);
  if (!facts) {
    facts = deriveFacts(doc);
    derived.set(doc, facts);
  }
  return facts;
}

function deriveFacts(doc: VoiceRecording): RecordingFacts {
  const agentIds = new Set<string>();
  const userNames = new Set<string>();
  const partitions = new Set<string>();
  const callUuids = new Set<string>([doc.id]);
  const connIds = new Set<string>();
  const accessGroups = new Set<string>();
  const starts: number[] = [];
  const stops: number[] = [];
  pushTime(starts, doc.startTime);
  pushTime(stops, doc.stopTime);
  for (const p of stringsOf(doc.partitions)) partitions.add(p);
  for (const media of doc.mediaFiles) {
    pushTime(starts, media.startTime);
    pushTime(stops, media.stopTime);
    addString(callUuids, media.callUUID);
    const parameters = isObject(media.parameters) ? media.parameters : {};
    addString(agentIds, parameters.agentId);
    addString(userNames, parameters.userName ?? parameters.username);
    addString(connIds, parameters.connId);
    if (typeof parameters.GRECORD_PARTITIONS === 'string') {
      for (const p of parameters.GRECORD_PARTITIONS.split(',')) addString(partitions, p.trim());
    }
    for (const p of stringsOf(media.partitions)) partitions.add(p);
    for (const g of stringsOf(media.accessgroups)) accessGroups.add(g);
  }
  for (const event of doc.eventHistory) {
    addString(callUuids, event.calluuid);
    const contact = isObject(event.contact) ? event.contact : {};
    addString(agentIds, contact.agentId);
    addString(userNames, contact.userName);
  }
  // Event times only count when the recording has no start or stop of its own (a history can be long).
  if (starts.length === 0 || stops.length === 0) {
    const eventTimes: number[] = [];
    for (const event of doc.eventHistory) pushTime(eventTimes, event.occurredAt);
    if (starts.length === 0) starts.push(...eventTimes);
    if (stops.length === 0) stops.push(...eventTimes);
  }
  // The normalised interval: from the earliest to the latest time known. A stop posted before its start
  // (stored as sent, compat.md §1) still makes the recording match every window that touches either time.
  const times = [...starts, ...stops];
  const timed = times.length > 0;
  const startMs = timed ? Math.min(...times) : 0;
  const stopMs = timed ? Math.max(...times) : 0;
  return {
    region: doc.region,
    startMs,
    stopMs,
    timed,
    caller: normalizePhoneNumber(doc.callerPhoneNumber),
    dialed: normalizePhoneNumber(doc.dialedPhoneNumber),
    callType: typeof doc.callType === 'string' ? doc.callType : undefined,
    agentIds: sorted(agentIds),
    userNames: sorted(userNames),
    partitions: sorted(partitions),
    labels: [...new Set(doc.labels)].sort(),
    callUuids: sorted(callUuids),
    connIds: sorted(connIds),
    accessGroups: sorted(accessGroups),
  };
}

function pushTime(into: number[], value: unknown): void {
  if (typeof value !== 'string') return;
  const ms = parseRwsTimestamp(value);
  if (ms !== undefined) into.push(ms);
}

function addString(into: Set<string>, value: unknown): void {
  if (typeof value === 'string' && value !== '') into.add(value);
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function sorted(values: Set<string>): string[] {
  return [...values].sort();
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
