import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { StagedTail } from './staged-tail';
import { UploadFinalizer } from './upload-finalizer';
import { UploadRecord, UploadStaging } from './upload-staging';
import { isFinalRefusal } from './upload.exception';

/** How a store of an upload began: while its bytes still arrived, or over the complete staged file. */
export type UploadStoreStart = 'streamed' | 'from_staging';

/** One store of an upload into recording storage, reading the staged bytes as they arrive. */
interface UploadStream {
  tail: StagedTail;
  /** Settles when the store ended: undefined once the recording is stored, else the failure. */
  settled: Promise<{ error?: unknown }>;
  failed?: boolean;
}

/** After a stream failed, PATCHes stage only for this long before trying a new one (completion always tries). */
const RESTART_AFTER_FAILURE_MS = 5_000;

/**
 * The stores in progress of this node's uploads. A store starts with the first PATCH and reads the staging
 * file from byte 0 while it grows (UploadFinalizer hashes, encrypts and PUTs it in one pass), so one PUT
 * spans every PATCH of the upload and a client that reconnects within the idle time continues the same
 * PUT. Completion waits for that store; when there is none (node restarted, PUT failed, idle timeout), it
 * stores the complete staged file instead, as a fresh object.
 */
export class UploadStreams {
  private readonly logger = new Logger('Uploads');
  private readonly streams = new Map<string, UploadStream>();

  constructor(
    private readonly staging: UploadStaging,
    private readonly finalizer: UploadFinalizer,
    private readonly idleMs: number,
    private readonly stores: Counter<'start' | 'result'>,
  ) {}

  /** Makes sure a store follows `record`'s staged bytes (`staged` of them so far), unless one failed just now. */
  ensure(record: UploadRecord, staged: number): void {
    if (!this.streams.has(record.id)) this.start(record, staged);
  }

  /** Staging now holds `offset` bytes of upload `id`. */
  staged(id: string, offset: number): void {
    this.streams.get(id)?.tail.extend(offset);
  }

  /**
   * Stores the completely staged upload: waits for its running store, and when there is none or it failed
   * (other than by a final refusal, see isFinalRefusal), stores the staged file once more from the start.
   * Resolves only once the recording is stored; throws the last failure otherwise.
   */
  async complete(record: UploadRecord): Promise<void> {
    const current = this.streams.get(record.id);
    if (current && !current.failed) {
      current.tail.extend(record.length);
      const { error } = await current.settled;
      this.forget(record.id, current);
      if (!error) return;
      if (isFinalRefusal(error)) throw error;
      this.logger.warn({ msg: 'streaming store failed at completion; storing from staging', uploadId: record.id, error: errorMessage(error) });
    }
    const fallback = this.start(record, record.length);
    const { error } = await fallback.settled;
    this.forget(record.id, fallback);
    if (error) throw error;
  }

  /** Stops the store of `id`, if any, and waits until its partial object is gone. */
  async abort(id: string, reason = 'upload abandoned'): Promise<void> {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    stream.tail.destroy(new Error(reason));
    await stream.settled;
  }

  /** Stops every store (shutdown); the uploads stay staged and complete from staging later. */
  async abortAll(): Promise<void> {
    await Promise.all([...this.streams.keys()].map((id) => this.abort(id, 'node shutting down')));
  }

  private start(record: UploadRecord, staged: number): UploadStream {
    const startedWith: UploadStoreStart = staged < record.length ? 'streamed' : 'from_staging';
    const tail = this.staging.follow(record.id, staged, record.length, this.idleMs);
    // An abort may destroy the tail before the finalizer has piped it: that error is reported through
    // `settled` (the pipeline sees a destroyed source), so an unheard 'error' event must not crash the node.
    tail.on('error', () => undefined);
    const stream: UploadStream = {
      tail,
      settled: this.finalizer.finalize(record, () => tail).then(
        () => ({}),
        (error: unknown) => ({ error }),
      ),
    };
    void stream.settled.then(({ error }) => {
      // A store that ended before reading everything (it failed early) must not keep the file open.
      tail.destroy();
      this.stores.inc({ start: startedWith, result: error ? 'failed' : 'stored' });
      if (!error) return;
      // Kept (failed) for a while so that the PATCHes of an upload whose storage is down only stage.
      stream.failed = true;
      setTimeout(() => this.forget(record.id, stream), RESTART_AFTER_FAILURE_MS).unref();
      this.logger.warn({ msg: 'streaming store of an upload failed; the staged bytes remain', uploadId: record.id, startedWith, read: tail.bytesRead, error: errorMessage(error) });
    });
    this.streams.set(record.id, stream);
    return stream;
  }

  private forget(id: string, stream: UploadStream): void {
    if (this.streams.get(id) === stream) this.streams.delete(id);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
