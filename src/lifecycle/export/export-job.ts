import { randomUUID } from 'node:crypto';
import type { SearchPosition } from '../../recordings/recording-query';

/** Which recordings an export takes: those a recordings search with these filters finds, or those a policy matches. */
export type ExportSelection = { kind: 'search'; filters: Record<string, string> } | { kind: 'policy'; policyId: string };

/** A WebDAV folder (URL and credentials per job; the credentials are never logged nor returned). */
export interface WebDavTargetSpec {
  type: 'webdav';
  url: string;
  username?: string;
  password?: string;
}

/** Where an export writes: a WebDAV folder (a background job), or a tar archive streamed to the caller. */
export type ExportTarget = WebDavTargetSpec | { type: 'archive'; format: 'tar' };

/** `stored`: media as kept in storage (ciphertext, with its envelope beside it); `decrypted`: plaintext (needs `decrypt`). */
export type ExportMediaMode = 'stored' | 'decrypted';

export type ExportJobState = 'queued' | 'running' | 'cancelled' | 'finished' | 'ready';

/**
 * An export job of one contact center. Progress is checkpointed as it goes: `after` is the last position of
 * the walk settled (exported or failed), and every item has its own record (ExportItem), so a job resumed
 * after a crash or a cancel skips what finished and never writes an item twice.
 */
export interface ExportJob {
  id: string;
  ccid: string;
  selection: ExportSelection;
  target: ExportTarget;
  media: ExportMediaMode;
  /** Read every written object back and compare its SHA-256 with what was sent. */
  verify: boolean;
  state: ExportJobState;
  /** Set by a cancel request, apart from the runner's checkpoints (so a checkpoint never undoes it). */
  cancelRequested?: boolean;
  createdBy: string;
  /** The instant the selection is taken at (a policy's cutoff counts from it). */
  asOfMs: number;
  /** Recordings in the selection, counted when the job started (for the ETA). */
  total?: number;
  after?: SearchPosition;
  exported: number;
  failed: number;
  bytes: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** One media file as exported: its name in the target, size and SHA-256 of the bytes written. */
export interface ExportedMedia {
  mediaFileId: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** The per-recording record of a job: pending while it is written, then done or failed (with the reason). */
export interface ExportItem {
  recordingId: string;
  state: 'pending' | 'done' | 'failed';
  bytes: number;
  media: ExportedMedia[];
  reason?: string;
  updatedAt: string;
}

/** A job as the API shows it: no credentials, with its progress and ETA. */
/**
 * A new job as created by `createdBy` at `now`: a WebDAV export queued for the scheduler, an archive ready for
 * its download. Ids sort by creation time.
 */
export function newExportJob(ccid: string, input: Pick<ExportJob, 'selection' | 'target' | 'media' | 'verify'>, createdBy: string, now = new Date()): ExportJob {
  return {
    id: `${now.toISOString()}-${randomUUID().slice(0, 8)}`,
    ccid,
    ...input,
    state: input.target.type === 'webdav' ? 'queued' : 'ready',
    createdBy,
    asOfMs: now.getTime(),
    exported: 0,
    failed: 0,
    bytes: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function exportJobView(job: ExportJob, nowMs = Date.now()): Record<string, unknown> {
  const target = job.target.type === 'webdav' ? { type: 'webdav', url: job.target.url, ...(job.target.username ? { username: job.target.username } : {}) } : job.target;
  const done = job.exported + job.failed;
  const elapsedMs = job.startedAt ? nowMs - Date.parse(job.startedAt) : 0;
  const remaining = job.total === undefined ? undefined : Math.max(0, job.total - done);
  const etaSeconds = job.state === 'running' && remaining !== undefined && done > 0 ? Math.ceil((elapsedMs / done) * remaining / 1000) : undefined;
  return {
    id: job.id,
    ccid: job.ccid,
    selection: job.selection,
    target,
    media: job.media,
    verify: job.verify,
    state: job.state,
    ...(job.cancelRequested && job.state !== 'cancelled' ? { cancelRequested: true } : {}),
    progress: {
      total: job.total ?? null,
      exported: job.exported,
      failed: job.failed,
      bytes: job.bytes,
      remaining: remaining ?? null,
      etaSeconds: etaSeconds ?? null,
      bytesPerSecond: elapsedMs > 0 ? Math.round((job.bytes * 1000) / elapsedMs) : null,
    },
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(job.lastError ? { lastError: job.lastError } : {}),
  };
}
