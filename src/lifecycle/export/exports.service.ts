import { Inject, Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { ErrorCode } from '../../common/errors/error-code';
import { InvalidParameterException, RwsException } from '../../common/errors/rws.exception';
import { ContactCentersService } from '../../contact-centers/contact-centers.service';
import { DecryptNotPermittedException } from '../../crypto/crypto.exception';
import { mayDecrypt } from '../../crypto/decrypt-permission';
import { AuditLog } from '../../identity/audit/audit-log.service';
import type { AuditAction } from '../../identity/audit/audit-entry';
import type { ChangeContext } from '../retention-policies.service';
import { ArchiveExport } from './archive-export';
import { newExportJob, type ExportItem, type ExportJob } from './export-job';
import { parseExportJob } from './export-job.validation';
import { ExportScheduler } from './export-scheduler';
import { ExportSelectionWalker } from './export-selection';
import { ExportStore } from './export.store';
import { WebDavExportTarget } from './webdav-export-target';
import { privateTargetProblem } from '../webhooks/webhook-target';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';

export class ExportJobNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Export job [${id}] cannot be found.`);
  }
}

/** A download whose job was not updated for this long died with its node: another may start. */
const STALE_DOWNLOAD_MS = 60_000;

const JOB_ID = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-[0-9a-f]{8}$/;

/** Ops use cases of export jobs: create (audited; decrypting needs `decrypt`), read, cancel, resume, download. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly store: ExportStore,
    private readonly contactCenters: ContactCentersService,
    private readonly selection: ExportSelectionWalker,
    private readonly scheduler: ExportScheduler,
    private readonly archive: ArchiveExport,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(ctx: ChangeContext, ccidParam: string, body: unknown): Promise<ExportJob> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const input = parseExportJob(body);
    if (input.media === 'decrypted' && !mayDecrypt(ctx.actor, ccid)) {
      await this.record(ctx, ccid, 'exportCreate', 'not created', 'denied', 'decrypted media needs the decrypt permission');
      throw new DecryptNotPermittedException();
    }
    await this.selection.check(ccid, input.selection);
    if (input.target.type === 'webdav') {
      const privateProblem = await privateTargetProblem(input.target.url, this.config.webhooks.allowPrivate);
      if (privateProblem) throw new InvalidParameterException('target.url', privateProblem);
      const target = new WebDavExportTarget(input.target, this.config.webhooks.allowPrivate);
      try {
        await target.check();
      } catch (err) {
        throw new InvalidParameterException('target', (err as Error).message);
      } finally {
        target.close();
      }
    }
    const job = newExportJob(ccid, input, ctx.actor.userName);
    await this.store.putJob(job);
    const where = job.target.type === 'webdav' ? `webdav ${new URL(job.target.url).origin}` : 'archive';
    await this.record(ctx, ccid, 'exportCreate', job.id, 'success', `target=${where} media=${job.media} selection=${JSON.stringify(job.selection)}`);
    if (job.state === 'queued') this.scheduler.kick();
    return job;
  }

  async list(ccidParam: string, limit = 50): Promise<ExportJob[]> {
    return this.store.listJobs((await this.contactCenters.require(ccidParam)).id, limit);
  }

  async get(ccidParam: string, id: string): Promise<ExportJob> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const job = JOB_ID.test(id) ? await this.store.getJob(ccid, id) : undefined;
    if (!job) throw new ExportJobNotFoundException(id);
    return job;
  }

  /** The recordings of a job that could not be exported, with the reason, in recording id order. */
  async failures(ccidParam: string, id: string, limit: number, after?: string): Promise<ExportItem[]> {
    const job = await this.get(ccidParam, id);
    return this.store.listItems(job.ccid, job.id, 'failed', limit, after);
  }

  /** Stops a job between two recordings (at once when it waits); what was exported stays, and `resume` goes on. */
  async cancel(ctx: ChangeContext, ccidParam: string, id: string): Promise<ExportJob> {
    const job = await this.get(ccidParam, id);
    if (job.target.type === 'archive') throw new RwsException(ErrorCode.Conflict, `Export job [${id}] is an archive: its download stops when the client closes the connection.`);
    if (job.state !== 'queued' && job.state !== 'running') throw new RwsException(ErrorCode.Conflict, `Export job [${id}] is ${job.state}: only a queued or running job can be cancelled.`);
    await this.store.setCancelRequested(job.ccid, job.id, true);
    if (job.state === 'queued') {
      job.state = 'cancelled';
      job.finishedAt = new Date().toISOString();
      await this.store.putJob(job);
    }
    await this.record(ctx, job.ccid, 'exportCancel', job.id, 'success');
    return { ...job, cancelRequested: true };
  }

  /** Queues a cancelled WebDAV job again: it goes on after what it had finished. */
  async resume(ctx: ChangeContext, ccidParam: string, id: string): Promise<ExportJob> {
    const job = await this.get(ccidParam, id);
    if (job.target.type !== 'webdav' || job.state !== 'cancelled') throw new RwsException(ErrorCode.Conflict, `Export job [${id}] is ${job.state}: only a cancelled WebDAV job can be resumed.`);
    await this.store.setCancelRequested(job.ccid, job.id, false);
    job.state = 'queued';
    job.cancelRequested = undefined;
    job.finishedAt = undefined;
    job.updatedAt = new Date().toISOString();
    await this.store.putJob(job);
    await this.record(ctx, job.ccid, 'exportResume', job.id, 'success');
    this.scheduler.kick();
    return job;
  }

  /** Streams an archive job's tar into `out` (the response); errors before the first byte are thrown. */
  async download(ctx: ChangeContext, ccidParam: string, id: string, open: () => Writable): Promise<void> {
    const job = await this.get(ccidParam, id);
    if (job.target.type !== 'archive') throw new RwsException(ErrorCode.Conflict, `Export job [${id}] writes to WebDAV: it has no archive to download.`);
    if (job.state === 'running' && Date.now() - Date.parse(job.updatedAt) < STALE_DOWNLOAD_MS) throw new RwsException(ErrorCode.Conflict, `Export job [${id}] is being downloaded: wait for that download to end.`);
    await this.record(ctx, job.ccid, 'exportDownload', job.id, 'success', `media=${job.media}`);
    await this.archive.stream(job, open());
  }

  private async record(ctx: ChangeContext, ccid: string, action: AuditAction, objectId: string, outcome: 'success' | 'denied', detail?: string): Promise<void> {
    await this.audit.record({ actor: ctx.actor, action, outcome, ccid, objectType: 'export', objectId, source: ctx.source, detail });
  }
}
