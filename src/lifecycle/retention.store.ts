import type { StoredReceipt } from './deletion-receipt';
import type { PurgeRun, RetentionPolicy } from './retention-policy';

/** Persistence port for retention policies and the checkpoints of their runs. */
export abstract class RetentionStore {
  /** Stores a policy (create or replace). */
  abstract putPolicy(policy: RetentionPolicy): Promise<void>;
  abstract getPolicy(ccid: string, id: string): Promise<RetentionPolicy | undefined>;
  /** The policies of one contact center, oldest first. */
  abstract listPolicies(ccid: string): Promise<RetentionPolicy[]>;
  /** Every contact center's policies (the scheduler's view; policies are few). */
  abstract listAllPolicies(): Promise<RetentionPolicy[]>;
  /** Removes a policy; false when there was none. Its runs stay, as history. */
  abstract deletePolicy(ccid: string, id: string): Promise<boolean>;

  /** Writes a run's checkpoint (durable when this resolves). */
  abstract putRun(run: PurgeRun): Promise<void>;
  /** A policy's runs, newest first, at most `limit`. */
  abstract listRuns(ccid: string, policyId: string, limit: number): Promise<PurgeRun[]>;

  /** Stores a signed receipt (idempotent by id: a resumed run re-issues the same one). */
  abstract putReceipt(receipt: StoredReceipt): Promise<void>;
  abstract getReceipt(ccid: string, id: string): Promise<StoredReceipt | undefined>;
  /** A contact center's receipts, newest first (ids start with their issue time), strictly before `beforeId` when given. */
  abstract listReceipts(ccid: string, limit: number, beforeId?: string): Promise<StoredReceipt[]>;
}

