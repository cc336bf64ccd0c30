import { Injectable } from '@nestjs/common';
import type { StoredReceipt } from '../../lifecycle/deletion-receipt';
import type { PurgeRun, RetentionPolicy } from '../../lifecycle/retention-policy';
import { LeaseStore } from '../../cluster/lease.store';
import { RetentionStore } from '../../lifecycle/retention.store';
import { EmbeddedDatabase } from './embedded-database';
import { TargetCredentialSealer } from '../../lifecycle/export/target-credentials';

const POLICIES = 'retention_policies';
const RUNS = 'retention_runs';
const LEASES = 'leases';
const RECEIPTS = 'deletion_receipts';

/** RetentionStore on the embedded database: policies and run checkpoints as rows. */
@Injectable()
export class EmbeddedRetentionStore extends RetentionStore {
  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly sealer: TargetCredentialSealer,
  ) {
    super();
  }

  async putPolicy(policy: RetentionPolicy): Promise<void> {
    await this.db.put(POLICIES, `${policy.ccid}/${policy.id}`, { policy: this.sealer.sealPolicy(policy) });
  }

  async getPolicy(ccid: string, id: string): Promise<RetentionPolicy | undefined> {
    const row = this.db.get(POLICIES, `${ccid}/${id}`);
    return row ? this.sealer.openPolicy(row.policy as RetentionPolicy) : undefined;
  }

  async listPolicies(ccid: string): Promise<RetentionPolicy[]> {
    return (await this.listAllPolicies()).filter((p) => p.ccid === ccid);
  }

  async listAllPolicies(): Promise<RetentionPolicy[]> {
    return [...this.db.values(POLICIES)].map((row) => this.sealer.openPolicy(row.policy as RetentionPolicy)).sort(byCreation);
  }

  deletePolicy(ccid: string, id: string): Promise<boolean> {
    return this.db.delete(POLICIES, `${ccid}/${id}`);
  }

  async putRun(run: PurgeRun): Promise<void> {
    await this.db.put(RUNS, `${run.ccid}/${run.policyId}/${run.id}`, { ccid: run.ccid, policyId: run.policyId, run: this.sealer.sealRun(run) });
  }

  async listRuns(ccid: string, policyId: string, limit: number): Promise<PurgeRun[]> {
    return [...this.db.values(RUNS)]
      .filter((row) => row.ccid === ccid && row.policyId === policyId)
      .map((row) => this.sealer.openRun(row.run as PurgeRun))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }

  async putReceipt(receipt: StoredReceipt): Promise<void> {
    await this.db.put(RECEIPTS, `${receipt.ccid}/${receipt.id}`, { receipt });
  }

  async getReceipt(ccid: string, id: string): Promise<StoredReceipt | undefined> {
    const row = this.db.get(RECEIPTS, `${ccid}/${id}`);
    return row?.receipt as StoredReceipt | undefined;
  }

  async listReceipts(ccid: string, limit: number, beforeId?: string): Promise<StoredReceipt[]> {
    return [...this.db.values(RECEIPTS)]
      .map((row) => row.receipt as StoredReceipt)
      .filter((r) => r.ccid === ccid && (beforeId === undefined || r.id < beforeId))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }
}

/**
 * LeaseStore on the embedded database. Read, decide and write happen without an await in between, and
 * the database shows a put to reads at once, so two holders of this process cannot both win.
 */
@Injectable()
export class EmbeddedLeaseStore extends LeaseStore {
  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly sealer: TargetCredentialSealer,
  ) {
    super();
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const row = this.db.get(LEASES, name);
    const now = Date.now();
    if (row && row.owner !== owner && (row.expiresAt as number) > now) return false;
    await this.db.put(LEASES, name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    if (this.db.get(LEASES, name)?.owner === owner) await this.db.delete(LEASES, name);
  }
}

function byCreation(a: RetentionPolicy, b: RetentionPolicy): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}
