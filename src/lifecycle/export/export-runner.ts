import { Injectable, Logger } from '@nestjs/common';
import { DomainEvents } from '../../common/events/domain-events';
import { AuditLog } from '../../identity/audit/audit-log.service';
import type { ExportItem, ExportJob } from './export-job';
import { EXPORT_ACTOR } from './export-members';
import { ExportSelectionWalker } from './export-selection';
import { ExportStore } from './export.store';
import { RecordingExporter } from './recording-exporter';
import { WebDavExportTarget } from './webdav-export-target';

/** How often a running job looks for a cancel request (a read of the job). */
const CANCEL_CHECK_MS = 250;

/**
 * Runs (or resumes) one WebDAV export job. Each recording gets its own record, written `pending` before
 * anything goes to the target and `done`/`failed` after; the job's checkpoint (`after`, the counts) moves
 * past it once that record is durable. A resumed job walks on from its checkpoint: a recording it meets
 * whose record is already settled was finished before the interruption (counted now, not written again);
 * one still `pending` was cut short and is written again, replacing what it had left.
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
  ) {}

  /** Runs until the job is finished or cancelled, or `keepGoing` answers false (shutdown, lost lease). */
  async run(job: ExportJob, keepGoing: () => Promise<boolean>): Promise<ExportJob> {
    if (job.target.type !== 'webdav') return job;
    if (job.cancelRequested) return this.settle(job, 'cancelled');
    const target = new WebDavExportTarget(job.target);
    try {
      job.state = 'running';
      job.startedAt ??= new Date().toISOString();
      await target.check();
      job.total ??= await this.selection.count(job);
      await this.save(job);
      let cancelCheckedAt = Date.now();
      for await (const { doc, position } of this.selection.walk(job, job.after)) {
        if (!(await keepGoing())) return job;
        if (Date.now() - cancelCheckedAt >= CANCEL_CHECK_MS) {
          cancelCheckedAt = Date.now();
          if ((await this.store.getJob(job.ccid, job.id))?.cancelRequested) return this.settle(job, 'cancelled');
        }
        const previous = await this.store.getItem(job.ccid, job.id, doc.id);
        let item: ExportItem;
        if (previous && previous.state !== 'pending') item = previous;
        else {
          await this.store.putItem(job.ccid, job.id, { recordingId: doc.id, state: 'pending', bytes: 0, media: [], updatedAt: new Date().toISOString() });
          item = await this.exporter.toWebDav(target, job.ccid, doc, { mode: job.media, verify: job.verify, overwrite: previous !== undefined });
          await this.store.putItem(job.ccid, job.id, item);
        }
        if (item.state === 'done') {
          job.exported++;
          job.bytes += item.bytes;
        } else job.failed++;
        job.after = position;
        job.lastError = undefined;
        await this.save(job);
      }
      return await this.settle(job, 'finished');
    } catch (err) {
      // An outage of the source or the target: the checkpoint stays before the recording; the next pass retries.
      job.lastError = (err as Error).message;
      await this.save(job).catch(() => undefined);
      throw err;
    } finally {
      target.close();
    }
  }

  /** Ends a job (finished or cancelled): audited, and `export.finished` goes to the webhook subscribers. */
  async settle(job: ExportJob, state: 'finished' | 'cancelled'): Promise<ExportJob> {
    job.state = state;
    job.finishedAt = new Date().toISOString();
    job.lastError = undefined;
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
