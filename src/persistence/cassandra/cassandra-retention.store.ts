import { Injectable } from '@nestjs/common';
import type { StoredReceipt } from '../../lifecycle/deletion-receipt';
import type { PurgeRun, RetentionPolicy } from '../../lifecycle/retention-policy';
import { LeaseStore } from '../../cluster/lease.store';
import { RetentionStore } from '../../lifecycle/retention.store';
import { CassandraConnection } from './cassandra-connection';
import { TargetCredentialSealer } from '../../lifecycle/export/target-credentials';

/** The one partition holding every policy. */
const SCOPE = 'all';

/** RetentionStore on Cassandra (migration 010). */
@Injectable()
export class CassandraRetentionStore extends RetentionStore {
  constructor(
    private readonly cql: CassandraConnection,
    private readonly sealer: TargetCredentialSealer,
  ) {
    super();
  }

  async putPolicy(policy: RetentionPolicy): Promise<void> {
    await this.cql.execute(
      'INSERT INTO retention_policies (scope, ccid, id, created_at, doc) VALUES (?, ?, ?, ?, ?)',
      [SCOPE, policy.ccid, policy.id, new Date(policy.createdAt), JSON.stringify(this.sealer.sealPolicy(policy))],
      { idempotent: true },
    );
  }

  async getPolicy(ccid: string, id: string): Promise<RetentionPolicy | undefined> {
    const row = (await this.cql.execute('SELECT doc FROM retention_policies WHERE scope = ? AND ccid = ? AND id = ?', [SCOPE, ccid, id], { idempotent: true })).first();
    return row ? this.sealer.openPolicy(JSON.parse(row.doc as string) as RetentionPolicy) : undefined;
  }

  async listPolicies(ccid: string): Promise<RetentionPolicy[]> {
    const result = await this.cql.execute('SELECT doc FROM retention_policies WHERE scope = ? AND ccid = ?', [SCOPE, ccid], { idempotent: true, fetchSize: 10_000 });
    return result.rows.map((r) => this.sealer.openPolicy(JSON.parse(r.doc as string) as RetentionPolicy)).sort(byCreation);
  }

  async listAllPolicies(): Promise<RetentionPolicy[]> {
    const policies: RetentionPolicy[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute('SELECT doc FROM retention_policies WHERE scope = ?', [SCOPE], { idempotent: true, fetchSize: 5000, pageState });
      policies.push(...page.rows.map((r) => this.sealer.openPolicy(JSON.parse(r.doc as string) as RetentionPolicy)));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return policies.sort(byCreation);
  }

  async deletePolicy(ccid: string, id: string): Promise<boolean> {
    const result = await this.cql.execute('DELETE FROM retention_policies WHERE scope = ? AND ccid = ? AND id = ? IF EXISTS', [SCOPE, ccid, id], { idempotent: false });
    return result.wasApplied();
  }

  async putRun(run: PurgeRun): Promise<void> {
    await this.cql.execute('INSERT INTO retention_runs (ccid, policy_id, run_id, doc) VALUES (?, ?, ?, ?)', [run.ccid, run.policyId, run.id, JSON.stringify(this.sealer.sealRun(run))], { idempotent: true });
  }

  async listRuns(ccid: string, policyId: string, limit: number): Promise<PurgeRun[]> {
    const result = await this.cql.execute('SELECT doc FROM retention_runs WHERE ccid = ? AND policy_id = ? LIMIT ?', [ccid, policyId, limit], { idempotent: true });
    return result.rows.map((r) => this.sealer.openRun(JSON.parse(r.doc as string) as PurgeRun));
  }

  async putReceipt(receipt: StoredReceipt): Promise<void> {
    await this.cql.execute('INSERT INTO deletion_receipts (ccid, id, receipt) VALUES (?, ?, ?)', [receipt.ccid, receipt.id, JSON.stringify(receipt)], { idempotent: true });
  }

  async getReceipt(ccid: string, id: string): Promise<StoredReceipt | undefined> {
    const row = (await this.cql.execute('SELECT receipt FROM deletion_receipts WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true })).first();
    return row ? (JSON.parse(row.receipt as string) as StoredReceipt) : undefined;
  }

  async listReceipts(ccid: string, limit: number, beforeId?: string): Promise<StoredReceipt[]> {
    const result =
      beforeId === undefined
        ? await this.cql.execute('SELECT receipt FROM deletion_receipts WHERE ccid = ? LIMIT ?', [ccid, limit], { idempotent: true })
        : await this.cql.execute('SELECT receipt FROM deletion_receipts WHERE ccid = ? AND id < ? LIMIT ?', [ccid, beforeId, limit], { idempotent: true });
    return result.rows.map((r) => JSON.parse(r.receipt as string) as StoredReceipt);
  }
}

/**
 * LeaseStore on Cassandra: lightweight transactions on the owner; the row carries a TTL, so a dead
 * holder's lease disappears by itself (and `expires_at` covers the sub-second rest of it).
 */
@Injectable()
export class CassandraLeaseStore extends LeaseStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs / 1000));
    const expiresAt = new Date(Date.now() + ttlMs);
    const inserted = await this.cql.execute(`INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ${ttl}`, [name, owner, expiresAt], {
      idempotent: false,
    });
    if (inserted.wasApplied()) return true;
    const current = inserted.first();
    const currentOwner = current?.owner as string | undefined;
    const currentExpiry = current?.expires_at as Date | undefined;
    // Ours: extend it. Someone else's but past its expiry (the TTL rounds up): take it over from that owner only.
    if (currentOwner !== owner && !(currentExpiry && currentExpiry.getTime() <= Date.now())) return false;
    const updated = await this.cql.execute(`UPDATE leases USING TTL ${ttl} SET owner = ?, expires_at = ? WHERE name = ? IF owner = ?`, [owner, expiresAt, name, currentOwner ?? null], {
      idempotent: false,
    });
    return updated.wasApplied();
  }

  async release(name: string, owner: string): Promise<void> {
    await this.cql.execute('DELETE FROM leases WHERE name = ? IF owner = ?', [name, owner], { idempotent: false });
  }
}

function byCreation(a: RetentionPolicy, b: RetentionPolicy): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}
