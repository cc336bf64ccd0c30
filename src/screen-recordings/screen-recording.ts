import { RecordingScope, scopeAllows } from '../identity/access/recording-access';
import type { ScreenRecordingEvent } from './screen-recording-events.port';

/**
 * Lifecycle of a screen recording: created at `start`, stored once its upload is durable. `missing` is the
 * end of one that never received media (see MissingReason); a late upload still makes it `stored`.
 */
export type ScreenRecordingState = 'recording' | 'paused' | 'stopped' | 'stored' | 'failed' | 'missing';

/** Why a screen recording is `missing`: no recorder was connected to record it, its recorder never uploaded, or its upload failed. */
export type ScreenMissingReason = 'no-recorder-connected' | 'recorder-never-uploaded' | 'upload-failed';

/** States a recording leaves only for `stored` (a late upload): its recorder's part is over. */
export const FINAL_STATES: readonly ScreenRecordingState[] = ['stored', 'failed', 'missing'];

/** One stored media file of a screen recording (usually one; a muxer may add another). */
export interface ScreenMediaFile {
  mediaId: string;
  type: string;
  size: number;
  /** Seconds, when known. */
  duration?: number;
  startTime: string;
  stopTime: string;
  /** Hex SHA-256 of the plaintext as the recorder announced and RWS verified. */
  sha256: string;
  storageKey: string;
  /** Absolute location in recording storage (WebDAV URL or filesystem key). */
  storagePath: string;
  /** CMS EnvelopedData (PEM) wrapping the file key, when the media is encrypted. */
  pkcs7?: string;
  /** Per-chunk ciphertext digests that let a Range read be verified (crypto module's format). */
  integrity?: Record<string, unknown>;
  /** As a registering service sent them (e.g. the muxer's `muxed_mediaIds` naming the sources). */
  parameters?: Record<string, unknown>;
}

/** A screen recording of one agent, linked to a voice call by CallUUID. */
export interface ScreenRecording {
  id: string;
  ccid: string;
  region: string;
  userName: string;
  agentId?: string;
  /** The agent's hierarchy when the recording started (access control, api.md §2). */
  agentHierarchy?: string;
  /** `GRECORD_PARTITIONS` of the call (access control). */
  partitions?: string[];
  callUuid: string;
  connId: string;
  startTime: string;
  stopTime?: string;
  state: ScreenRecordingState;
  /** Set with state `missing`. */
  missingReason?: ScreenMissingReason;
  /** What happened to the recording (`{occurredAt, event}`: Started, Paused, Resumed, Stopped), and events services posted. */
  eventHistory?: Record<string, unknown>[];
  mediaFiles: ScreenMediaFile[];
  nonDelete: boolean;
  createdAt: string;
  updatedAt: string;
  /** The node (process instance) that follows it while it is recording: a detector ends it when that node is gone. */
  node?: string;
  /** Why the last upload attempt failed (checksum mismatch, storage), until one succeeds. */
  uploadError?: string;
  /** Events written with the change they report, not yet handed to ScreenRecordingEvents (the outbox). */
  outbox?: ScreenRecordingEvent[];
}

/**
 * Whether the missing-recording detector must still look at it: its recorder's part is not over, or events
 * wait in its outbox. Both stores index exactly these.
 */
export function isOpen(r: ScreenRecording): boolean {
  return !FINAL_STATES.includes(r.state) || (r.outbox?.length ?? 0) > 0;
}

/** Filters of the public screen-recording search, with the caller's access applied while walking. */
export interface ScreenRecordingQuery {
  ccid: string;
  region: string;
  callUuid?: string;
  userName?: string;
  /** Recordings overlapping [startTime, endTime]. */
  startTime?: string;
  endTime?: string;
  /** Only recordings in this state (the ops list of missing ones). */
  state?: ScreenRecordingState;
  /** The caller's access (identity's AccessPolicy.searchScope): only matching recordings count towards a page. */
  scope: RecordingScope;
  /** Resume strictly after this position (newest first: startTime desc, then id asc). */
  after?: SearchPosition;
  limit: number;
}

/** One page: at most `limit` visible recordings and, when more may follow, where the next page starts. */
export interface ScreenRecordingPage {
  recordings: ScreenRecording[];
  resumeAfter?: SearchPosition;
}

/** A position in the search order (the voice search's page-token payload). */
export interface SearchPosition {
  startMs: number;
  id: string;
}

/** Search order: newest first, then id. */
export function newestFirst(a: ScreenRecording, b: ScreenRecording): number {
  return b.startTime.localeCompare(a.startTime) || a.id.localeCompare(b.id);
}

export function positionOf(r: ScreenRecording): SearchPosition {
  return { startMs: Date.parse(r.startTime), id: r.id };
}

/** Whether `r` comes strictly after `position` in search order. */
export function isAfter(r: ScreenRecording, position: SearchPosition | undefined): boolean {
  if (!position) return true;
  const ms = Date.parse(r.startTime);
  return ms < position.startMs || (ms === position.startMs && r.id > position.id);
}

/** Every filter of a query, the caller's access included: the one predicate both stores apply while walking. */
export function matchesQuery(query: ScreenRecordingQuery, r: ScreenRecording): boolean {
  return (
    r.region === query.region &&
    (query.callUuid === undefined || r.callUuid === query.callUuid) &&
    (query.userName === undefined || r.userName === query.userName) &&
    (query.state === undefined || r.state === query.state) &&
    (query.endTime === undefined || r.startTime <= query.endTime) &&
    (query.startTime === undefined || (r.stopTime ?? r.startTime) >= query.startTime) &&
    scopeAllows(query.scope, r) &&
    isAfter(r, query.after)
  );
}

/** The page out of matches in search order (`limit + 1` or more of them tell that more follow). */
export function pageOf(sortedMatches: ScreenRecording[], limit: number): ScreenRecordingPage {
  const recordings = sortedMatches.slice(0, limit);
  return { recordings, resumeAfter: sortedMatches.length > limit ? positionOf(recordings[recordings.length - 1]) : undefined };
}
