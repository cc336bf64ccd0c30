import { Transform, TransformCallback } from 'node:stream';

/** How OffThreadTransform talks to the worker running its job (StreamJobPool provides it). */
export interface JobChannel {
  send(message: { type: 'data'; chunks: Uint8Array[] } | { type: 'end' } | { type: 'abort' }, transfer: ArrayBuffer[]): void;
  /** Detaches the channel from its worker (after the end, an error or an abort). */
  close(): void;
}

/** Chunks handed to the worker before the writer has to wait: keeps the worker busy while bounding memory. */
const MAX_IN_FLIGHT = 4;

/**
 * A Transform whose work runs on a worker thread (a StreamJob): chunks are copied to the worker and the
 * job's output comes back in order. Up to MAX_IN_FLIGHT chunks are in the worker at once, so the calling
 * thread keeps doing I/O while the worker computes.
 */
export class OffThreadTransform<R> extends Transform {
  private channel: JobChannel | undefined;
  private inFlight = 0;
  private waitingWrite: TransformCallback | undefined;
  private waitingFlush: TransformCallback | undefined;
  private finished: { result: R } | undefined;

  constructor(open: (self: OffThreadTransform<R>) => JobChannel) {
    super({ highWaterMark: 1024 * 1024 });
    this.channel = open(this);
  }

  /** The job's result, once the stream has ended. */
  result(): R {
    if (!this.finished) throw new Error('the off-thread stream has not finished');
    return this.finished.result;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sendChunks([chunk], callback);
  }

  /**
   * Chunks written while the stream was corked (or waiting) cross in one message: a writer that corks
   * around a run of small reads sends them together, without first concatenating them into a new Buffer.
   */
  override _writev(chunks: { chunk: Buffer }[], callback: TransformCallback): void {
    this.sendChunks(
      chunks.map((c) => c.chunk),
      callback,
    );
  }

  private sendChunks(chunks: Buffer[], callback: TransformCallback): void {
    if (!this.channel) return callback(new Error('the worker job is closed'));
    // Copied, never moved: moving would detach memory the writer may still read (a caller's Buffer is not
    // ours to empty). The copy costs far less than the hashing or encryption the worker does with it.
    this.channel.send({ type: 'data', chunks }, []);
    this.inFlight++;
    if (this.inFlight < MAX_IN_FLIGHT) callback();
    else this.waitingWrite = callback;
  }

  override _flush(callback: TransformCallback): void {
    if (!this.channel) return callback(new Error('the worker job is closed'));
    this.waitingFlush = callback;
    this.channel.send({ type: 'end' }, []);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.channel && !this.finished) this.channel.send({ type: 'abort' }, []);
    this.channel?.close();
    this.channel = undefined;
    callback(err);
  }

  /** The job passed these bytes on. */
  output(chunk: Uint8Array): void {
    this.inFlight--;
    if (chunk.byteLength > 0) this.push(asBuffer(chunk));
    const callback = this.waitingWrite;
    this.waitingWrite = undefined;
    callback?.();
  }

  /** The job finished. */
  ended(output: Uint8Array | undefined, result: R): void {
    this.finished = { result };
    if (output && output.byteLength > 0) this.push(asBuffer(output));
    this.channel?.close();
    this.channel = undefined;
    const callback = this.waitingFlush;
    this.waitingFlush = undefined;
    callback?.();
  }

  /** The job failed (or its worker died). */
  failed(error: Error): void {
    this.channel?.close();
    this.channel = undefined;
    this.destroy(error);
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
