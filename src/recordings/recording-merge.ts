import { mediaFileIdFor, JsonObject, RecordingInsert, RecordingMediaFile, VoiceRecording } from './voice-recording';

/** Fields whose merge is not "the newer post wins". */
const MERGED_FIELDS = new Set(['id', 'ccid', 'startTime', 'stopTime', 'mediaFiles', 'eventHistory', 'labels', 'nonDelete']);

/**
 * Merges an insert document into the stored recording (undefined for a first insert): the idempotent
 * upsert of api.md §2. Media files merge by `mediaId` (the newer post's fields win, the mediaFileId stays),
 * event history is a union without duplicates, start/stop widen, labels add up, non-delete never clears
 * here, and every other field — known or not — takes the newer post's value. Posting the same document
 * twice yields the same recording; posting parts in any order yields the same recording too.
 */
export function mergeRecording(stored: VoiceRecording | undefined, insert: RecordingInsert): VoiceRecording {
  const base: JsonObject = stored ? { ...stored } : {};
  for (const [key, value] of Object.entries(insert)) {
    if (!MERGED_FIELDS.has(key)) base[key] = value;
  }
  return {
    ...base,
    id: insert.id,
    ccid: insert.ccid,
    region: insert.region,
    callerPhoneNumber: insert.callerPhoneNumber,
    dialedPhoneNumber: insert.dialedPhoneNumber,
    ...timeField('startTime', earliest(stored?.startTime, insert.startTime)),
    ...timeField('stopTime', latest(stored?.stopTime, insert.stopTime)),
    mediaFiles: mergeMediaFiles(stored?.mediaFiles ?? [], insert),
    eventHistory: mergeEvents(stored?.eventHistory ?? [], insert.eventHistory),
    labels: [...new Set([...(stored?.labels ?? []), ...(insert.labels ?? [])])].sort(),
    nonDelete: (stored?.nonDelete ?? false) || insert.nonDelete === true,
  } as VoiceRecording;
}

function mergeMediaFiles(stored: RecordingMediaFile[], insert: RecordingInsert): RecordingMediaFile[] {
  const byMediaId = new Map(stored.map((m) => [m.mediaId, m]));
  for (const incoming of insert.mediaFiles) {
    const previous = byMediaId.get(incoming.mediaId);
    const mediaFileId = previous?.mediaFileId ?? mediaFileIdFor(insert.ccid, insert.id, incoming.mediaId);
    byMediaId.set(incoming.mediaId, { ...(previous ?? {}), ...incoming, mediaFileId } as RecordingMediaFile);
  }
  // Map iteration keeps first-insertion order: stored files first, new ones appended.
  return [...byMediaId.values()];
}

function mergeEvents(stored: JsonObject[], incoming: JsonObject[]): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const event of [...stored, ...incoming]) {
    const key = canonicalJson(event);
    if (!byKey.has(key)) byKey.set(key, event);
  }
  // Sorted by time, then content: the result does not depend on the order the posts arrived in.
  return [...byKey.entries()]
    .sort(([ka, a], [kb, b]) => compareText(timeOf(a), timeOf(b)) || compareText(ka, kb))
    .map(([, event]) => event);
}

function timeOf(event: JsonObject): string {
  // Canonical timestamps sort as text; events without a time go last.
  return typeof event.occurredAt === 'string' ? event.occurredAt : '\uffff';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function timeField(name: string, value: string | undefined): JsonObject {
  return value === undefined ? {} : { [name]: value };
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as JsonObject)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
