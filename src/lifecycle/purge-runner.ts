import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainEvents } from '../common/events/domain-events';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { AuditLog } from '../identity/audit/audit-log.service';
import { RecordingStore } from '../recordings/recording.store';
import { RecordingNotFoundException, RecordingUnderNonDeleteException } from '../recordings/recordings.exception';
import { RecordingsService } from '../recordings/recordings.service';
import type { VoiceRecording } from '../recordings/voice-recording';
import { DeletionReceiptsService } from './deletion-receipts.service';
import { DAY_MS, PolicyCandidates } from './policy-candidates';
import type { DeletingAction, PurgedRecording, PurgeRun, RetentionPolicy } from './retention-policy';
import { RecordingExporter } from './export/recording-exporter';
import { WebDavExportTarget } from './export/webdav-export-target';
import { RetentionStore } from './retention.store';
import { RETENTION_ACTOR, systemContext } from './system-actor';

/** Recordings per receipt: a long run issues one receipt per batch rather than one unbounded document. */
export const RECEIPT_BATCH = 100;
/** Export failures a run keeps on its checkpoint (the newest; the counts cover all). */
export const EXPORT_FAILURES_KEPT = 100;

/**
 * Applies one delete policy: walks what is due at the run's cutoff (the dry run's walk) and deletes each
 * through the recordings service as the system actor (media, then metadata; legal hold re-checked at the
 * moment of deletion), paced to the configured deletes per second.
 *
 * Crash safety: before a delete the checkpoint names the recording (`pending`); after it, the checkpoint
 * moves past it. A resumed run first settles `pending` — gone means it was deleted (counted once, put on
 * the receipt), still there means the walk meets it again — then continues after the last position done.
 * So nothing is deleted twice and nothing due is skipped.
 *
 * Export then delete: each due recording is first exported as stored (media with its envelope, and its
 * metadata) into the policy's WebDAV folder and read back; only a recording whose every object verified
 * (same size and SHA-256) is deleted. One whose export failed stays, counted and listed on the run with the
 * reason; an unreachable target stops the run before it (the next pass retries). A recording exported and
 * not yet deleted when the node died is exported again (replacing the objects) and then deleted.
 */
@Injectable()
export class PurgeRunner {
  private readonly logger = new Logger('Retention');
  private nextDeleteAt = 0;

  constructor(
    private readonly store: RetentionStore,
    private readonly recordings: RecordingStore,
    private readonly recordingsService: RecordingsService,
    private readonly candidates: PolicyCandidates,
    private readonly receipts: DeletionReceiptsService,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly exporter: RecordingExporter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new run of the policy, due at `asOfMs` (not yet stored). */
  newRun(policy: RetentionPolicy & { action: DeletingAction }, asOfMs = Date.now()): PurgeRun {
    const now = new Date(asOfMs).toISOString();
    return {
      id: `${now}-${randomUUID().slice(0, 8)}`,
      ccid: policy.ccid,
      policyId: policy.id,
      policy,
      cutoffMs: asOfMs - policy.action.afterDays * DAY_MS,
      asOf: now,
      state: 'running',
      deleted: 0,
      ...(policy.action.type === 'exportThenDelete' ? { exported: 0, exportFailed: 0, exportFailures: [] } : {}),
      heldByLegalHold: 0,
      keptByPolicy: 0,
      unreceipted: [],
      receiptIds: [],
      startedAt: now,
      updatedAt: now,
    };
  }

  /**
   * Runs (or resumes) `run` until it is finished, or `keepGoing` answers false between two recordings
   * (shutdown, lost lease): then the checkpoint stays, and a later call resumes it.
   */
  async run(run: PurgeRun, keepPolicies: RetentionPolicy[], keepGoing: () => Promise<boolean>): Promise<PurgeRun> {
    const action = run.policy.action;
    const target = action.type === 'exportThenDelete' ? new WebDavExportTarget(action.target, this.config.webhooks.allowPrivate) : undefined;
    try {
      return await this.runWith(run, keepPolicies, keepGoing, target);
    } finally {
      target?.close();
    }
  }

  private async runWith(run: PurgeRun, keepPolicies: RetentionPolicy[], keepGoing: () => Promise<boolean>, target?: WebDavExportTarget): Promise<PurgeRun> {
    await this.save(run);
    if (run.pending) await this.settlePending(run);
    if (target) {
      await target.refusePrivate().catch(async (err: Error) => {
        run.lastError = err.message;
        await this.save(run);
        throw err;
      });
    }
    for await (const candidate of this.candidates.walk(run.policy, keepPolicies, run.cutoffMs, run.after)) {
      if (!(await keepGoing())) return run;
      if (candidate.verdict !== 'due') {
        if (candidate.verdict === 'legalHold') run.heldByLegalHold++;
        else run.keptByPolicy++;
        run.after = candidate.position;
        continue;
      }
      await this.pace();
      if (target && !(await this.exportFirst(run, target, candidate.doc))) {
        run.after = candidate.position;
        await this.save(run);
        continue;
      }
      run.pending = candidate.position;
      run.pendingItem = purgedItem(candidate.doc);
      await this.save(run);
      try {
        await this.recordingsService.delete(systemContext(run.ccid), candidate.doc.id);
        this.done(run);
        await this.events
          .publish({ type: 'recording.purged', ccid: run.ccid, data: { recordingId: candidate.doc.id, policyId: run.policyId, runId: run.id } })
          .catch((err: Error) => this.logger.error({ msg: 'lifecycle event lost', type: 'recording.purged', error: err.message }));
      } catch (err) {
        run.pending = undefined;
        run.pendingItem = undefined;
        if (err instanceof RecordingUnderNonDeleteException) run.heldByLegalHold++;
        else if (!(err instanceof RecordingNotFoundException)) {
          // Storage or metadata unavailable: the checkpoint stays before this recording; the next pass retries it.
          run.lastError = (err as Error).message;
          await this.save(run);
          throw err;
        }
        run.after = candidate.position;
      }
      if (run.unreceipted.length >= RECEIPT_BATCH) await this.issueReceipt(run);
      await this.save(run);
    }
    if (run.unreceipted.length > 0) await this.issueReceipt(run);
    run.state = 'finished';
    run.finishedAt = new Date().toISOString();
    run.lastError = undefined;
    await this.save(run);
    await this.audit.record({
      actor: RETENTION_ACTOR,
      action: 'retentionRun',
      outcome: 'success',
      ccid: run.ccid,
      objectType: 'retentionPolicy',
      objectId: run.policyId,
      detail: `run=${run.id} deleted=${run.deleted}${run.exported !== undefined ? ` exported=${run.exported} exportFailed=${run.exportFailed ?? 0}` : ''} legalHold=${run.heldByLegalHold} kept=${run.keptByPolicy} receipts=${run.receiptIds.length}`,
    });
    this.logger.log({ msg: 'retention run finished', ccid: run.ccid, policyId: run.policyId, runId: run.id, deleted: run.deleted });
    return run;
  }

  /** Exports one recording (stored form, read back and compared); false when its export failed (it is kept). */
  private async exportFirst(run: PurgeRun, target: WebDavExportTarget, doc: VoiceRecording): Promise<boolean> {
    try {
      const item = await this.exporter.toWebDav(target, run.ccid, doc, { mode: 'stored', verify: true, overwrite: true });
      if (item.state === 'done') {
        run.exported = (run.exported ?? 0) + 1;
        return true;
      }
      run.exportFailed = (run.exportFailed ?? 0) + 1;
      run.exportFailures = [...(run.exportFailures ?? []), { recordingId: doc.id, reason: item.reason ?? 'export failed' }].slice(-EXPORT_FAILURES_KEPT);
      this.logger.warn({ msg: 'retention export failed: recording kept', ccid: run.ccid, policyId: run.policyId, recordingId: doc.id, reason: item.reason });
      return false;
    } catch (err) {
      run.lastError = (err as Error).message;
      await this.save(run);
      throw err;
    }
  }

  /** The recording named by the checkpoint: deleted before the crash (count it) or not (the walk retries it). */
  private async settlePending(run: PurgeRun): Promise<void> {
    const still = await this.recordings.get(run.ccid, run.pending!.id);
    if (!still) this.done(run);
    else {
      run.pending = undefined;
      run.pendingItem = undefined;
    }
    await this.save(run);
  }

  private done(run: PurgeRun): void {
    run.deleted++;
    if (run.pendingItem) run.unreceipted.push({ ...run.pendingItem, deletedAt: new Date().toISOString() });
    run.after = run.pending;
    run.pending = undefined;
    run.pendingItem = undefined;
  }

  private async issueReceipt(run: PurgeRun): Promise<void> {
    const id = await this.receipts.issueForRun(run);
    run.receiptIds.push(id);
    run.unreceipted = [];
  }

  private async save(run: PurgeRun): Promise<void> {
    run.updatedAt = new Date().toISOString();
    await this.store.putRun(run);
  }

  /** Waits until the next delete fits the configured rate. */
  private async pace(): Promise<void> {
    const interval = 1000 / this.config.retention.deletesPerSecond;
    const now = Date.now();
    const at = Math.max(now, this.nextDeleteAt);
    this.nextDeleteAt = at + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

export function purgedItem(doc: VoiceRecording): Omit<PurgedRecording, 'deletedAt'> {
  return {
    id: doc.id,
    startTime: doc.startTime,
    media: doc.mediaFiles.map((m) => ({ mediaId: m.mediaId, ...(typeof m.sha256 === 'string' ? { sha256: m.sha256 } : {}) })),
  };
}
