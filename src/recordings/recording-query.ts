import { AccessScope, scopeAllows } from './recording-access';
import type { RecordingFacts } from './recording-facts';
import type { NumberPattern } from './number-pattern';
import type { VoiceRecording } from './voice-recording';

/** The filters of a search (api.md §2), parsed and normalised. At least one is set. */
export interface RecordingFilters {
  caller?: NumberPattern;
  dialed?: NumberPattern;
  /** Window start (`startTime`), epoch ms: recordings still running at or after it. */
  fromMs?: number;
  /** Window end (`endTime`), epoch ms: recordings started at or before it. */
  toMs?: number;
  agentId?: string;
  userName?: string;
  callType?: string;
  partition?: string;
  label?: string;
  callUuid?: string;
  connId?: string;
}

/** A place in the result order (startTime desc, then id desc): a page resumes strictly after it. */
export interface SearchPosition {
  startMs: number;
  id: string;
}

/** One search as a store executes it. */
export interface RecordingSearch {
  ccid: string;
  /** Only recordings of this region (the node's) are found. */
  region: string;
  filters: RecordingFilters;
  scope: AccessScope;
  after?: SearchPosition;
  limit: number;
  /**
   * Most index entries one request may examine. When reached before the page is full, the page is returned
   * with what it has and a position to continue from: never a silent truncation.
   */
  maxScan: number;
}

/** One page of results; `resumeAfter` is set when more may follow. */
export interface RecordingPage {
  recordings: VoiceRecording[];
  resumeAfter?: SearchPosition;
}

/** True when the facts satisfy every filter, the region and the access scope. */
export function matchesSearch(facts: RecordingFacts, search: Pick<RecordingSearch, 'region' | 'filters' | 'scope'>): boolean {
  const f = search.filters;
  if (facts.region !== search.region) return false;
  if (f.caller && !f.caller.matches(facts.caller)) return false;
  if (f.dialed && !f.dialed.matches(facts.dialed)) return false;
  if (f.fromMs !== undefined || f.toMs !== undefined) {
    if (!facts.timed) return false;
    if (f.fromMs !== undefined && facts.stopMs < f.fromMs) return false;
    if (f.toMs !== undefined && facts.startMs > f.toMs) return false;
  }
  if (f.agentId !== undefined && !facts.agentIds.includes(f.agentId)) return false;
  if (f.userName !== undefined && !facts.userNames.includes(f.userName)) return false;
  if (f.callType !== undefined && facts.callType !== f.callType) return false;
  if (f.partition !== undefined && !facts.partitions.includes(f.partition)) return false;
  if (f.label !== undefined && !facts.labels.includes(f.label)) return false;
  if (f.callUuid !== undefined && !facts.callUuids.includes(f.callUuid)) return false;
  if (f.connId !== undefined && !facts.connIds.includes(f.connId)) return false;
  return scopeAllows(search.scope, facts);
}

/** Result order: newest start first, then id descending (ids are ASCII, so code-unit order is byte order). */
export function compareResultOrder(a: SearchPosition, b: SearchPosition): number {
  if (a.startMs !== b.startMs) return b.startMs - a.startMs;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/** True when `candidate` comes strictly after `position` in result order. */
export function isAfter(candidate: SearchPosition, position: SearchPosition | undefined): boolean {
  return position === undefined || compareResultOrder(position, candidate) < 0;
}
