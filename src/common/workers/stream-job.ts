/**
 * A stateful computation over a byte stream that runs on a worker thread: each chunk in gives the bytes
 * to pass on, the end gives the last bytes and a result. A job module exports `createStreamJob(params)` (it may resolve asynchronously);
 * StreamJobPool loads it by path inside the worker.
 */
export interface StreamJob<R = unknown> {
  /** Consumes `chunk`; returns the bytes to pass on (the chunk itself for a pure observer, possibly empty). */
  update(chunk: Buffer): Buffer;
  /** No more input: the last bytes to pass on and the job's result (structured-cloneable). */
  final(): { output?: Buffer; result: R };
  /** The stream was abandoned: forget any secret state. */
  dispose?(): void;
}

/** What a job module exports. */
export type StreamJobFactory = (params: never) => StreamJob | Promise<StreamJob>;

/** Messages from the main thread to a worker. */
export type ToWorker =
  | { type: 'open'; job: number; module: string; params: unknown }
  | { type: 'data'; job: number; chunks: Uint8Array[] }
  | { type: 'end'; job: number }
  | { type: 'abort'; job: number };

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { type: 'data'; job: number; chunk: Uint8Array }
  | { type: 'end'; job: number; output?: Uint8Array; result: unknown }
  | { type: 'error'; job: number; message: string };

/** The ArrayBuffer to transfer with `bytes` when it owns all of it (moved, not copied); none otherwise. */
export function transferListOf(bytes: Uint8Array | undefined): ArrayBuffer[] {
  if (!bytes || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || bytes.byteLength < MIN_TRANSFER_BYTES) return [];
  return bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

/**
 * Below this a Buffer may live in Node's shared 8 KiB allocation pool, where other Buffers use the same
 * ArrayBuffer (transferring it would empty them): small chunks are copied.
 */
const MIN_TRANSFER_BYTES = 64 * 1024;
