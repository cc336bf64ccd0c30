import { canonicalPath, isUnder } from '../identity/access/recording-access';
import { factsOf, isObject } from '../recordings/recording-facts';
import type { RecordingFilters } from '../recordings/recording-query';
import type { VoiceRecording } from '../recordings/voice-recording';
import type { RetentionMatch } from './retention-policy';

/**
 * True when the recording meets every criterion of `match` except `media` (which needs the screen
 * recordings of the call: see `needsScreenLookup`). Pure, so a dry run and a run decide alike.
 */
export function matchesRecording(match: RetentionMatch, doc: VoiceRecording): boolean {
  const facts = factsOf(doc);
  if (match.partitions && !match.partitions.some((p) => facts.partitions.includes(p))) return false;
  if (match.labels && !match.labels.some((l) => facts.labels.includes(l))) return false;
  if (match.agentIds && !match.agentIds.some((a) => facts.agentIds.includes(a))) return false;
  if (match.agentHierarchies) {
    const hierarchies = facts.accessGroups.filter((h) => h.trim() !== '').map(canonicalPath);
    const prefixes = match.agentHierarchies.map(canonicalPath);
    if (!hierarchies.some((h) => prefixes.some((p) => isUnder(h, p)))) return false;
  }
  if (match.callTypes) {
    const callType = facts.callType?.toLowerCase();
    if (!match.callTypes.some((t) => t.toLowerCase() === callType)) return false;
  }
  if (match.minDurationSeconds !== undefined || match.maxDurationSeconds !== undefined) {
    const seconds = (facts.stopMs - facts.startMs) / 1000;
    if (match.minDurationSeconds !== undefined && seconds < match.minDurationSeconds) return false;
    if (match.maxDurationSeconds !== undefined && seconds > match.maxDurationSeconds) return false;
  }
  if (match.attachedData && !Object.entries(match.attachedData).every(([key, value]) => attachedValues(doc, key).includes(value))) return false;
  return true;
}

/** True when `hasScreen` (the call has a screen recording) satisfies the `media` criterion. */
export function matchesMedia(match: RetentionMatch, hasScreen: boolean): boolean {
  return match.media === undefined || (match.media === 'screen') === hasScreen;
}

/**
 * Search filters that find a superset of what `match` selects among recordings started at or before
 * `cutoffMs`: the time bound, plus one exact lookup when the match names a single value (a narrower path).
 */
export function candidateFilters(match: RetentionMatch, cutoffMs: number): RecordingFilters {
  const filters: RecordingFilters = { toMs: cutoffMs };
  if (match.labels?.length === 1) filters.label = match.labels[0];
  else if (match.agentIds?.length === 1) filters.agentId = match.agentIds[0];
  else if (match.partitions?.length === 1) filters.partition = match.partitions[0];
  return filters;
}

function attachedValues(doc: VoiceRecording, key: string): unknown[] {
  const values: unknown[] = [];
  for (const media of doc.mediaFiles) if (isObject(media.parameters)) values.push(media.parameters[key]);
  for (const event of doc.eventHistory) if (isObject(event.data)) values.push(event.data[key]);
  return values;
}
