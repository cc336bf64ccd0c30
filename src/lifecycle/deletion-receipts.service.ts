import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { AuditLog } from '../identity/audit/audit-log.service';
import type { DeletionReceipt, StoredReceipt } from './deletion-receipt';
import { ReceiptNotFoundException } from './lifecycle.exception';
import { ReceiptSigner } from './receipt-signer';
import type { Principal } from '../identity/principal';
import type { PurgedRecording, PurgeRun } from './retention-policy';
import { RetentionStore } from './retention.store';
import { RETENTION_ACTOR } from './system-actor';

/** Receipt ids: the issue time, then the run and sequence (so a re-issue after a crash keeps its id). */
const RECEIPT_ID_PATTERN = /^[0-9A-Za-z:.\-_]{1,160}$/;

/** Issues, lists and serves signed deletion receipts. */
@Injectable()
export class DeletionReceiptsService {
  constructor(
    private readonly store: RetentionStore,
    private readonly signer: ReceiptSigner,
    private readonly contactCenters: ContactCentersService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Signs and stores the receipt of the recordings a run purged since its last one. Its id derives from
   * the run and the sequence, so issuing again after a crash (before the run's checkpoint said so)
   * replaces the same receipt rather than adding a second.
   */
  async issueForRun(run: PurgeRun): Promise<string> {
    const sequence = run.receiptIds.length + 1;
    return this.issue(`${run.id}-${String(sequence).padStart(4, '0')}`, run.ccid, RETENTION_ACTOR, run.unreceipted, {
      kind: 'purge',
      policyId: run.policyId,
      policyName: run.policy.name,
      runId: run.id,
      sequence,
    });
  }

  /** Signs and stores the receipt of an erasure (what was deleted, by whom; the subject is not named). */
  async issueForErasure(erasureId: string, ccid: string, actor: Principal, recordings: PurgedRecording[]): Promise<string> {
    return this.issue(`${new Date().toISOString()}-${erasureId.slice(0, 8)}-0001`, ccid, actor, recordings, { kind: 'erasure', erasureId, sequence: 1 });
  }

  private async issue(
    id: string,
    ccid: string,
    actor: Principal,
    recordings: PurgedRecording[],
    about: Pick<DeletionReceipt, 'kind' | 'policyId' | 'policyName' | 'runId' | 'erasureId' | 'sequence'>,
  ): Promise<string> {
    const receipt: DeletionReceipt = { id, ccid, issuedAt: new Date().toISOString(), actor: actor.userName, ...about, recordings, keyId: this.signer.keyId };
    const document = JSON.stringify(receipt);
    await this.store.putReceipt({
      id,
      ccid,
      issuedAt: receipt.issuedAt,
      kind: about.kind,
      ...(about.policyId ? { policyId: about.policyId, runId: about.runId } : {}),
      ...(about.erasureId ? { erasureId: about.erasureId } : {}),
      count: recordings.length,
      keyId: this.signer.keyId,
      document,
      signature: this.signer.sign(document),
    });
    await this.audit.record({ actor, action: 'receiptIssue', outcome: 'success', ccid, objectType: 'deletionReceipt', objectId: id, detail: `kind=${about.kind} recordings=${recordings.length}` });
    return id;
  }

  async list(ccidParam: string, limitText?: string, before?: string): Promise<StoredReceipt[]> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const limit = limitText === undefined ? 100 : /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidParameterException('limit', 'must be an integer from 1 to 1000');
    if (before !== undefined && !RECEIPT_ID_PATTERN.test(before)) throw new InvalidParameterException('before', 'not a receipt id');
    return this.store.listReceipts(ccid, limit, before);
  }

  async get(ccidParam: string, id: string): Promise<StoredReceipt> {
    const ccid = (await this.contactCenters.require(ccidParam)).id;
    const receipt = RECEIPT_ID_PATTERN.test(id) ? await this.store.getReceipt(ccid, id) : undefined;
    if (!receipt) throw new ReceiptNotFoundException(id);
    return receipt;
  }

  publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }
}
