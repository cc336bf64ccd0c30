import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { PurgeRunner } from './purge-runner';
import { DeletingAction, isDeleting, RetentionPolicy } from './retention-policy';
import { HeldLease, LeaseStore } from '../cluster/lease.store';
import { CoalescedPass } from '../common/async/coalesced-pass';
import { RetentionStore } from './retention.store';

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
  private readonly lease: HeldLease;
  private readonly passes = new CoalescedPass(
    () => this.runPass(),
    (err) => this.logger.warn({ msg: 'retention pass stopped', error: err.message }),
  );

  constructor(
    private readonly store: RetentionStore,
    leases: LeaseStore,
    private readonly runner: PurgeRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.lease = new HeldLease(leases, RETENTION_LEASE, this.owner, config.retention.leaseMs);
  }

  onApplicationBootstrap(): void {
    if (this.config.retention.intervalMs > 0) this.passes.every(this.config.retention.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.passes.stop();
    await this.lease.release();
  }

  /** Starts a pass now (an operator asked for a run); a pass under way is followed by another. */
  requestPass(): void {
    this.passes.request();
  }

  private async runPass(): Promise<void> {
    if (!(await this.lease.take())) return;
    try {
      const policies = (await this.store.listAllPolicies()).filter((p) => p.enabled);
      for (const policy of policies) {
        if (this.passes.stopping) return;
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
      await this.lease.release();
    }
  }

  /** False once shutting down or when the lease was lost (renewed on the way). */
  private async keepGoing(): Promise<boolean> {
    return !this.passes.stopping && (await this.lease.keepGoing());
  }
}
