import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../../identity/audit/audit-log.service';
import type { Principal } from '../../identity/principal';
import { RecordingStorage } from '../recording-storage';
import { MediaDeleteTarget, PendingMediaDelete, PendingMediaDeleteStore } from './pending-media-delete.store';

/** Removes one target now; resolves also when it was already gone, throws to be retried. */
export type MediaDeleteExecutor = (ccid: string, target: MediaDeleteTarget) => Promise<void>;

const MAX_DELAY_MS = 3_600_000;
const BATCH = 100;
/** Who the retries act as in the audit log: RWS itself, finishing a delete someone was allowed to start. */
const RETRIER: Principal = { kind: 'ops', userName: 'rws-media-delete-retry', roles: [], permissions: [], accessGroups: [] };

/**
 * Media deletes that could not finish now (storage unreachable, refused) are not lost and do not block the
 * metadata delete: they are persisted (PendingMediaDeleteStore, both metadata stores) and retried with
 * exponential backoff (RWS_MEDIA_DELETE_RETRY_SECONDS, doubling, at most an hour), each failure logged at warn,
 * the queueing and the final removal audited. Any node may run a retry (deletes are idempotent).
 */
@Injectable()
export class MediaDeleteQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MediaDeletes');
  private readonly executors = new Map<MediaDeleteTarget['kind'], MediaDeleteExecutor>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: PendingMediaDeleteStore,
    private readonly storage: RecordingStorage,
    private readonly audit: AuditLog,
  ) {
    this.executors.set('storage', async (_, target) => {
      if (target.kind === 'storage') await this.storage.delete(target.key);
    });
  }

  /** How a target kind is removed (the recordings module registers voice files in contact-center stores). */
  registerExecutor(kind: MediaDeleteTarget['kind'], executor: MediaDeleteExecutor): void {
    this.executors.set(kind, executor);
  }

  /**
   * Deletes now; when that fails, queues the delete for retry (persisted, audited, logged) and resolves.
   * Throws only when the delete can neither be done nor queued (the metadata store is down too).
   */
  async deleteOrQueue(ccid: string, target: MediaDeleteTarget, context: { recordingId?: string; actor?: Principal; reason?: string } = {}): Promise<'deleted' | 'queued'> {
    try {
      await this.execute(ccid, target);
      return 'deleted';
    } catch (err) {
      await this.queue(ccid, target, err, context);
      return 'queued';
    }
  }

  /** Queues a delete that already failed once (e.g. a cleanup after a failed store). */
  async queue(ccid: string, target: MediaDeleteTarget, error: unknown, context: { recordingId?: string; actor?: Principal; reason?: string } = {}): Promise<void> {
    const now = Date.now();
    const entry: PendingMediaDelete = {
      id: randomUUID(),
      ccid,
      recordingId: context.recordingId,
      target,
      attempts: 1,
      nextAttemptAt: new Date(now + this.delayAfter(1)).toISOString(),
      createdAt: new Date(now).toISOString(),
      lastError: messageOf(error),
    };
    await this.store.put(entry);
    this.logger.warn({ msg: 'media delete failed; queued for retry', ccid, recordingId: context.recordingId, target: describe(target), reason: context.reason, error: entry.lastError, nextAttemptAt: entry.nextAttemptAt });
    this.audit.recordQuietly({
      actor: context.actor ?? RETRIER,
      action: 'delete',
      outcome: 'failed',
      ccid,
      objectType: 'media',
      objectId: context.recordingId,
      detail: `media delete queued for retry: ${entry.lastError}`,
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.retryDue(), this.config.mediaDeleteRetryMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One retry round over the due entries (one round at a time per node). */
  retryDue(): Promise<void> {
    this.running ??= this.runRound().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runRound(): Promise<void> {
    let due: PendingMediaDelete[];
    try {
      due = await this.store.due(new Date().toISOString(), BATCH);
    } catch (err) {
      this.logger.warn({ msg: 'pending media deletes cannot be read; next round retries', error: messageOf(err) });
      return;
    }
    for (const entry of due) {
      try {
        await this.execute(entry.ccid, entry.target);
        await this.store.remove(entry.id);
        this.logger.log({ msg: 'queued media delete done', ccid: entry.ccid, recordingId: entry.recordingId, target: describe(entry.target), attempts: entry.attempts + 1 });
        this.audit.recordQuietly({ actor: RETRIER, action: 'delete', outcome: 'success', ccid: entry.ccid, objectType: 'media', objectId: entry.recordingId, detail: `queued media delete done after ${entry.attempts + 1} attempts` });
      } catch (err) {
        const attempts = entry.attempts + 1;
        const next = { ...entry, attempts, lastError: messageOf(err), nextAttemptAt: new Date(Date.now() + this.delayAfter(attempts)).toISOString() };
        this.logger.warn({ msg: 'queued media delete failed again', ccid: entry.ccid, recordingId: entry.recordingId, target: describe(entry.target), attempts, error: next.lastError, nextAttemptAt: next.nextAttemptAt });
        await this.store.put(next).catch((e: unknown) => this.logger.warn({ msg: 'pending media delete not updated', id: entry.id, error: messageOf(e) }));
      }
    }
  }

  private async execute(ccid: string, target: MediaDeleteTarget): Promise<void> {
    const executor = this.executors.get(target.kind);
    if (!executor) throw new Error(`no executor for ${target.kind} media`);
    await executor(ccid, target);
  }

  private delayAfter(attempts: number): number {
    return Math.min(this.config.mediaDeleteRetryMs * 2 ** (attempts - 1), MAX_DELAY_MS);
  }
}

function describe(target: MediaDeleteTarget): string {
  // Voice paths may carry a store's host; never credentials (insert refuses URLs with user info).
  return target.kind === 'storage' ? `storage:${target.key}` : `voice:${target.path}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
