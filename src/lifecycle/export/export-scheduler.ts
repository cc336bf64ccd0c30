import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { LeaseStore } from '../retention.store';
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
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(
    private readonly store: ExportStore,
    private readonly leases: LeaseStore,
    private readonly runner: ExportRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** Looks for jobs now; a pass under way is followed by another. */
  kick(): void {
    if (this.stopping) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.runPass()
      .catch((err: Error) => this.logger.warn({ msg: 'export pass stopped', error: err.message }))
      .finally(() => {
        this.pass = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          this.kick();
        }
      });
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.kick();
      if (!this.stopping) this.schedule();
    }, this.config.exports.pollMs);
    this.timer.unref();
  }

  private async runPass(): Promise<void> {
    const jobs = (await this.store.listActiveJobs()).filter((j) => j.target.type === 'webdav').sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const job of jobs) {
      if (this.stopping) return;
      const lease = exportLease(job.id);
      if (!(await this.leases.acquire(lease, this.owner, this.config.retention.leaseMs))) continue;
      let renewedAt = Date.now();
      const keepGoing = async (): Promise<boolean> => {
        if (this.stopping) return false;
        if (Date.now() - renewedAt < this.config.retention.leaseMs / 3) return true;
        renewedAt = Date.now();
        return this.leases.acquire(lease, this.owner, this.config.retention.leaseMs);
      };
      try {
        // Read again under the lease: another node may have finished it meanwhile.
        const current = await this.store.getJob(job.ccid, job.id);
        if (current && (current.state === 'queued' || current.state === 'running')) await this.runner.run(current, keepGoing);
      } catch (err) {
        this.logger.warn({ msg: 'export job interrupted', ccid: job.ccid, exportId: job.id, error: (err as Error).message });
      } finally {
        await this.leases.release(lease, this.owner).catch(() => undefined);
      }
    }
  }
}
