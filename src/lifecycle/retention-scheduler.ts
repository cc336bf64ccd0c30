import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { PurgeRunner } from './purge-runner';
import { DeletingAction, isDeleting, RetentionPolicy } from './retention-policy';
import { LeaseStore, RetentionStore } from './retention.store';

/** The lease that makes one node of a cluster the retention runner. */
export const RETENTION_LEASE = 'retention-scheduler';

type DeletePolicy = RetentionPolicy & { action: DeletingAction };

/**
 * Applies the enabled delete policies of every contact center, every `retention.intervalMs`, on the one node
 * holding the retention lease (taken by compare-and-set in the metadata store, renewed while a run goes on,
 * expiring when its holder dies). A policy with an unfinished run resumes it from its checkpoint; otherwise
 * a new run starts. On shutdown the current run stops between two recordings and the lease is given up.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopping = false;
  private leaseRenewedAt = 0;

  constructor(
    private readonly store: RetentionStore,
    private readonly leases: LeaseStore,
    private readonly runner: PurgeRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retention.intervalMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
    await this.leases.release(RETENTION_LEASE, this.owner).catch(() => undefined);
  }

  /** Starts a pass now (an operator asked for a run); a pass under way is followed by another. */
  requestPass(): void {
    if (this.stopping) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.runPass()
      .catch((err: Error) => this.logger.warn({ msg: 'retention pass stopped', error: err.message }))
      .finally(() => {
        this.pass = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          this.requestPass();
        }
      });
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.requestPass();
      if (!this.stopping) this.schedule();
    }, this.config.retention.intervalMs);
    this.timer.unref();
  }

  private async runPass(): Promise<void> {
    if (!(await this.holdLease())) return;
    try {
      const policies = (await this.store.listAllPolicies()).filter((p) => p.enabled);
      for (const policy of policies) {
        if (this.stopping) return;
        if (!isDeleting(policy)) continue;
        const keeps = policies.filter((p) => p.ccid === policy.ccid && p.action.type === 'keep');
        const [latest] = await this.store.listRuns(policy.ccid, policy.id, 1);
        const run = latest?.state === 'running' ? latest : this.runner.newRun(policy as DeletePolicy);
        try {
          await this.runner.run(run, keeps, () => this.keepGoing());
        } catch (err) {
          this.logger.warn({ msg: 'retention run interrupted', ccid: policy.ccid, policyId: policy.id, error: (err as Error).message });
        }
        if (!(await this.keepGoing())) return;
      }
    } finally {
      // Another node may take over at once; a dead node's lease expires instead.
      await this.leases.release(RETENTION_LEASE, this.owner).catch(() => undefined);
      this.leaseRenewedAt = 0;
    }
  }

  private async holdLease(): Promise<boolean> {
    const held = await this.leases.acquire(RETENTION_LEASE, this.owner, this.config.retention.leaseMs);
    if (held) this.leaseRenewedAt = Date.now();
    return held;
  }

  /** False once shutting down or when the lease was lost; renews it when a third of its time has passed. */
  private async keepGoing(): Promise<boolean> {
    if (this.stopping) return false;
    if (Date.now() - this.leaseRenewedAt < this.config.retention.leaseMs / 3) return true;
    return this.holdLease();
  }
}
