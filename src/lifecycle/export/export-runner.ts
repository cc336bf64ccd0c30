import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainEvents } from '../../common/events/domain-events';
import { AuditLog } from '../../identity/audit/audit-log.service';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import type { ExportItem, ExportJob } from './export-job';
import { EXPORT_ACTOR } from './export-members';
import { RetentionPolicyNotFoundException } from '../lifecycle.exception';
import { ExportSelectionWalker, SelectedRecording } from './export-selection';
import type { VoiceRecording } from '../../recordings/voice-recording';
import { ExportStore } from './export.store';
import { RecordingExporter } from './recording-exporter';
import { WebDavExportTarget } from './webdav-export-target';

/** How often a running job looks for a cancel request (a read of the job). */
const CANCEL_CHECK_MS = 250;
/** Recordings exported side by side (the node's pacer still bounds the rate): hides the round trips of each. */
const BATCH = 16;

/**
 * Runs (or resumes) one WebDAV export job. Each recording gets its own record, written `pending` before
 * anything goes to the target and `done`/`failed` after; the job's checkpoint (`after`, the counts) moves
 * past it once that record is durable. A resumed job walks on from its checkpoint: a recording it meets
 * whose record is already settled was finished before the interruption (counted now, not written again);
 * one still `pending` was cut short and is written again, replacing what it had left. Recordings go in
 * batches of BATCH side by side; the checkpoint moves past a batch once every record of it is durable.
 */
@Injectable()
export class ExportRunner {
  private readonly logger = new Logger('Export');

  constructor(
    private readonly store: ExportStore,
    private readonly selection: ExportSelectionWalker,
    private readonly exporter: RecordingExporter,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs until the job is finished or cancelled, or `keepGoing` answers false (shutdown, lost lease). */
  async run(job: ExportJob, keepGoing: () => Promise<boolean>): Promise<ExportJob> {
    if (job.target.type !== 'webdav') return job;
    if (job.cancelRequested) return this.settle(job, 'cancelled');
    const target = new WebDavExportTarget(job.target, this.config.webhooks.allowPrivate);
    try {
      job.state = 'running';
      job.startedAt ??= new Date().toISOString();
      await target.check();
      job.total ??= await this.selection.count(job);
      await this.save(job);
      let cancelCheckedAt = Date.now();
      const batch: SelectedRecording[] = [];
      const walk = this.selection.walk(job, job.after)[Symbol.asyncIterator]();
      for (;;) {
        const next = await walk.next();
        if (!next.done) batch.push(next.value);
        if (batch.length < BATCH && !next.done) continue;
        if (batch.length > 0) {
          if (!(await keepGoing())) return job;
          if (Date.now() - cancelCheckedAt >= CANCEL_CHECK_MS) {
            cancelCheckedAt = Date.now();
            if ((await this.store.getJob(job.ccid, job.id))?.cancelRequested) return await this.settle(job, 'cancelled');
          }
          await this.exportBatch(job, target, batch.splice(0));
        }
        if (next.done) return await this.settle(job, 'finished');
      }
    } catch (err) {
      // The policy it selects by is gone: nothing more can be selected; the job ends, saying why.
      if (err instanceof RetentionPolicyNotFoundException) return await this.settle(job, 'cancelled', err.message);
      // An outage of the source or the target: the checkpoint stays before the recording; the next pass retries.
      job.lastError = (err as Error).message;
      await this.save(job).catch(() => undefined);
      throw err;
    } finally {
      target.close();
    }
  }

  /** Exports a batch side by side; once every record is durable, the checkpoint moves past its last recording. */
  private async exportBatch(job: ExportJob, target: WebDavExportTarget, batch: SelectedRecording[]): Promise<void> {
    const outcomes = await Promise.allSettled(batch.map(({ doc }) => this.exportOne(job, target, doc)));
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure.reason;
    for (const outcome of outcomes) {
      const item = (outcome as PromiseFulfilledResult<ExportItem>).value;
      if (item.state === 'done') {
        job.exported++;
        job.bytes += item.bytes;
      } else job.failed++;
    }
    job.after = batch[batch.length - 1].position;
    job.lastError = undefined;
    await this.save(job);
  }

  /** One recording: settled before (returned as it was, not written again), or exported now. */
  private async exportOne(job: ExportJob, target: WebDavExportTarget, doc: VoiceRecording): Promise<ExportItem> {
    const previous = await this.store.getItem(job.ccid, job.id, doc.id);
    if (previous && previous.state !== 'pending') return previous;
    await this.store.putItem(job.ccid, job.id, { recordingId: doc.id, state: 'pending', bytes: 0, media: [], updatedAt: new Date().toISOString() });
    const item = await this.exporter.toWebDav(target, job.ccid, doc, { mode: job.media, verify: job.verify, overwrite: previous !== undefined });
    await this.store.putItem(job.ccid, job.id, item);
    return item;
  }

  /** Ends a job (finished or cancelled): audited, and `export.finished` goes to the webhook subscribers. */
  async settle(job: ExportJob, state: 'finished' | 'cancelled', reason?: string): Promise<ExportJob> {
    job.state = state;
    job.finishedAt = new Date().toISOString();
    job.lastError = reason;
    await this.save(job);
    await this.audit.record({
      actor: EXPORT_ACTOR,
      action: 'exportFinish',
      outcome: 'success',
      ccid: job.ccid,
      objectType: 'export',
      objectId: job.id,
      detail: `state=${state} exported=${job.exported} failed=${job.failed} bytes=${job.bytes}`,
    });
    await this.events
      .publish({ type: 'export.finished', ccid: job.ccid, data: { exportId: job.id, state, exported: job.exported, failed: job.failed, bytes: job.bytes } })
      .catch((err: Error) => this.logger.error({ msg: 'lifecycle event lost', type: 'export.finished', error: err.message }));
    this.logger.log({ msg: 'export job ended', ccid: job.ccid, exportId: job.id, state, exported: job.exported, failed: job.failed });
    return job;
  }

  private async save(job: ExportJob): Promise<void> {
    job.updatedAt = new Date().toISOString();
    await this.store.putJob(job);
  }
}
