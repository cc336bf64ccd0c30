import type { promises as fs } from 'node:fs';

/** Most bytes received but not yet written before the reader waits for the disk. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** Buffers per writev (below IOV_MAX). */
const MAX_BATCH = 256;

/**
 * Writes an upload's chunks to its part file in arrival order, batching whatever arrived while the previous
 * write was in flight into one writev: a request delivers 64 KiB chunks, and a thread-pool round trip for
 * each would cap a PATCH at a few dozen MB/s on a busy machine. `position` only counts written bytes.
 */
export class StagedWriter {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly handle: fs.FileHandle,
    /** File offset up to which bytes are written. */
    public position: number,
    private readonly onWritten?: (position: number) => void,
  ) {}

  /** Queues `chunk` after the bytes queued before it; resolves at once unless too much is waiting for the disk. */
  async add(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.flushing ??= this.flush();
    if (this.pendingBytes >= MAX_PENDING_BYTES) await this.drained();
  }

  /** Resolves once every queued byte is written; rejects with the first write error. */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.failure) {
        const batch = this.pending.splice(0, MAX_BATCH);
        const size = batch.reduce((sum, b) => sum + b.length, 0);
        this.pendingBytes -= size;
        const { bytesWritten } = await this.handle.writev(batch, this.position);
        this.position += bytesWritten;
        this.onWritten?.(this.position);
        // A short write (disk full) ends the append: the caller reports the bytes that did land.
        if (bytesWritten !== size) throw new Error(`short write to the staging file: ${bytesWritten} of ${size} bytes`);
      }
    } catch (err) {
      this.failure = err;
      this.pending.length = 0;
      this.pendingBytes = 0;
    } finally {
      this.flushing = undefined;
    }
  }
}
