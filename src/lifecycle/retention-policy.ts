import type { SearchPosition } from '../recordings/recording-query';
import type { WebDavTargetSpec } from './export/export-job';

/** Which recordings a policy concerns; every given criterion must hold (an empty match is every recording). */
export interface RetentionMatch {
  /** Any of these partitions (`GRECORD_PARTITIONS` or the media files' partitions), exactly. */
  partitions?: string[];
  /** Any of these labels. */
  labels?: string[];
  /** Any of these agents. */
  agentIds?: string[];
  /** An agent hierarchy at or under any of these (`/Region/Team`), from the media files' access groups. */
  agentHierarchies?: string[];
  /** Any of these call types (direction): `Inbound`, `Outbound`, `Internal`, … compared case-insensitively. */
  callTypes?: string[];
  /** Duration (stop − start) at least this many seconds. */
  minDurationSeconds?: number;
  /** Duration at most this many seconds. */
  maxDurationSeconds?: number;
  /** `voice`: calls without a screen recording; `screen`: calls with one; absent: both. */
  media?: 'voice' | 'screen';
  /** Attached data every one of which a media file's `parameters` (or an event's `data`) carries with this value. */
  attachedData?: Record<string, string>;
}

/** What a policy does with the recordings it matches. */
export type RetentionAction = { type: 'delete'; afterDays: number } | { type: 'exportThenDelete'; afterDays: number; target: WebDavTargetSpec } | { type: 'keep' };

/** The actions that delete: a plain delete, or an export to the policy's WebDAV folder, verified, then the delete. */
export type DeletingAction = Exclude<RetentionAction, { type: 'keep' }>;

/** Whether a policy deletes what is due (delete or export then delete). */
export function isDeleting(policy: RetentionPolicy): policy is RetentionPolicy & { action: DeletingAction } {
  return policy.action.type === 'delete' || policy.action.type === 'exportThenDelete';
}

/** A retention policy of one contact center (docs/lifecycle.md). */
export interface RetentionPolicy {
  id: string;
  ccid: string;
  name: string;
  enabled: boolean;
  match: RetentionMatch;
  action: RetentionAction;
  createdAt: string;
  updatedAt: string;
}

/** A recording a purge deleted, as its receipt lists it. */
export interface PurgedRecording {
  id: string;
  startTime?: string;
  /** The media files' `mediaId` and, when the processor posted one, their digest. */
  media: { mediaId: string; sha256?: string }[];
  deletedAt: string;
}

/**
 * One application of a delete policy, checkpointed after every recording so that a run interrupted by a
 * crash resumes where it stopped: `after` is the last position done (result order), `pending` the recording
 * being deleted when the checkpoint was written (done or not: the resumed run finds out).
 */
export interface PurgeRun {
  id: string;
  ccid: string;
  policyId: string;
  /** The policy as it was when the run started: an edit mid-run applies to the next run. */
  policy: RetentionPolicy;
  /** Recordings started at or before this instant are due (asOf − afterDays). */
  cutoffMs: number;
  asOf: string;
  state: 'running' | 'finished';
  after?: SearchPosition;
  pending?: SearchPosition;
  /** What the receipt will say of the pending recording once it is known to be gone. */
  pendingItem?: Omit<PurgedRecording, 'deletedAt'>;
  deleted: number;
  /** Export then delete: recordings exported (and verified) before their delete, and those whose export failed (kept). */
  exported?: number;
  exportFailed?: number;
  /** The last export failures of the run (recording id and reason), at most EXPORT_FAILURES_KEPT. */
  exportFailures?: { recordingId: string; reason: string }[];
  heldByLegalHold: number;
  keptByPolicy: number;
  /** Recordings purged since the last receipt was issued. */
  unreceipted: PurgedRecording[];
  receiptIds: string[];
  lastError?: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}
