import { formatTimestamp } from '../common/rws-time';
import type { StoredReceipt } from './deletion-receipt';
import type { PurgeRun, RetentionPolicy } from './retention-policy';

/** A policy as the API shows it. */
export function policyView(policy: RetentionPolicy): Record<string, unknown> {
  // An export target's password is never returned (nor logged: audit entries name the target's origin only).
  const action = policy.action.type === 'exportThenDelete' ? { ...policy.action, target: { ...policy.action.target, password: undefined } } : policy.action;
  return { ...policy, action, createdAt: formatTimestamp(policy.createdAt), updatedAt: formatTimestamp(policy.updatedAt) };
}

/** A run's progress without its working state (the items waiting for their receipt). */
export function runView(run: PurgeRun): Record<string, unknown> {
  return {
    id: run.id,
    policyId: run.policyId,
    state: run.state,
    asOf: formatTimestamp(run.asOf),
    cutoff: formatTimestamp(new Date(run.cutoffMs)),
    deleted: run.deleted,
    ...(run.exported !== undefined ? { exported: run.exported, exportFailed: run.exportFailed ?? 0, exportFailures: run.exportFailures ?? [] } : {}),
    heldByLegalHold: run.heldByLegalHold,
    keptByPolicy: run.keptByPolicy,
    receiptIds: run.receiptIds,
    ...(run.pending ? { pending: run.pending.id } : {}),
    ...(run.lastError ? { lastError: run.lastError } : {}),
    startedAt: formatTimestamp(run.startedAt),
    updatedAt: formatTimestamp(run.updatedAt),
    ...(run.finishedAt ? { finishedAt: formatTimestamp(run.finishedAt) } : {}),
  };
}

/** A receipt in a listing: what it covers, without its document. */
export function receiptSummary(receipt: StoredReceipt): Record<string, unknown> {
  return {
    id: receipt.id,
    kind: receipt.kind ?? 'purge',
    issuedAt: formatTimestamp(receipt.issuedAt),
    ...(receipt.policyId ? { policyId: receipt.policyId, runId: receipt.runId } : {}),
    ...(receipt.erasureId ? { erasureId: receipt.erasureId } : {}),
    count: receipt.count,
    keyId: receipt.keyId,
  };
}
