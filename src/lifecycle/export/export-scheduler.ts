import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { HeldLease, LeaseStore } from '../../cluster/lease.store';
import { CoalescedPass } from '../../common/async/coalesced-pass';
import { ExportRunner } from './export-runner';
import { ExportStore } from './export.store';

/** The lease of one job: the node holding it runs the job; another takes over when the holder dies. */
export function exportLease(jobId: string): string {
  return `export-job:${jobId}`;
}

/**
 * Runs the WebDAV export jobs of every contact center, one at a time per node (so the node's pacing holds),
 * each on the one node holding its lease (the retention scheduler's pattern: compare-and-set in the
 * metadata store, renewed while the job goes on, expiring when its holder dies). Looks for jobs every
 * `exports.pollMs` and at once when a job is created or resumed on this node; a job whose target or
 * source failed is tried again at the next look. On shutdown the job stops between two recordings.
 */
@Injectable()
export class ExportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Export');
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly passes = new CoalescedPass(
    () => this.runPass(),
    (err) => this.logger.warn({ msg: 'export pass stopped', error: err.message }),
  );

  constructor(
    private readonly store: ExportStore,
    private readonly leases: LeaseStore,
    private readonly runner: ExportRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.passes.every(this.config.exports.pollMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.passes.stop();
  }

  /** Looks for jobs now; a pass under way is followed by another. */
  kick(): void {
    this.passes.request();
  }

  private async runPass(): Promise<void> {
    const jobs = (await this.store.listActiveJobs()).filter((j) => j.target.type === 'webdav').sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const job of jobs) {
      if (this.passes.stopping) return;
      const lease = new HeldLease(this.leases, exportLease(job.id), this.owner, this.config.retention.leaseMs);
      if (!(await lease.take())) continue;
      const keepGoing = async (): Promise<boolean> => !this.passes.stopping && (await lease.keepGoing());
      try {
        // Read again under the lease: another node may have finished it meanwhile.
        const current = await this.store.getJob(job.ccid, job.id);
        if (current && (current.state === 'queued' || current.state === 'running')) await this.runner.run(current, keepGoing);
      } catch (err) {
        this.logger.warn({ msg: 'export job interrupted', ccid: job.ccid, exportId: job.id, error: (err as Error).message });
      } finally {
        await lease.release();
      }
    }
  }
}
