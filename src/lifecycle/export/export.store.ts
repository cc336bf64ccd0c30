import type { ExportItem, ExportJob } from './export-job';

/** Persistence port for export jobs and their per-recording progress. */
export abstract class ExportStore {
  /** Stores a job's checkpoint (durable when this resolves). Never clears a cancel request. */
  abstract putJob(job: ExportJob): Promise<void>;
  /** A job, with `cancelRequested` as last asked. */
  abstract getJob(ccid: string, id: string): Promise<ExportJob | undefined>;
  /** A contact center's jobs, newest first (ids start with their creation time), at most `limit`. */
  abstract listJobs(ccid: string, limit: number): Promise<ExportJob[]>;
  /** Jobs of every contact center that wait for a runner or were running (the scheduler's view). */
  abstract listActiveJobs(): Promise<ExportJob[]>;
  /** Asks a job to stop (true) or lifts the request (false); kept apart from the checkpoints the runner writes. */
  abstract setCancelRequested(ccid: string, id: string, requested: boolean): Promise<void>;

  /** Writes one recording's record of a job (create or replace). */
  abstract putItem(ccid: string, jobId: string, item: ExportItem): Promise<void>;
  abstract getItem(ccid: string, jobId: string, recordingId: string): Promise<ExportItem | undefined>;
  /** A job's records in a given state, ordered by recording id, strictly after `afterId`, at most `limit`. */
  abstract listItems(ccid: string, jobId: string, state: ExportItem['state'], limit: number, afterId?: string): Promise<ExportItem[]>;
}
