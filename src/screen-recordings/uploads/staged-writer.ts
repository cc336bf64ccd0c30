import type { promises as fs } from 'node:fs';

/** Bytes gathered before a write starts: fewer, larger writes (and larger reads for whoever follows the file). */
const WRITE_BYTES = 1024 * 1024;
/** Most bytes received but not yet written before the reader waits for the disk. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** Buffers per writev (below IOV_MAX). */
const MAX_BATCH = 256;

/**
 * Writes an upload's chunks to its part file in arrival order, gathered into writevs of about WRITE_BYTES:
 * a request delivers 64 KiB chunks, and a thread-pool round trip for each would cap a PATCH at a few dozen
 * MB/s on a busy machine. `drained()` writes the rest. `position` only counts written bytes.
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
    if (this.pendingBytes >= WRITE_BYTES) this.flushing ??= this.flush(WRITE_BYTES);
    if (this.pendingBytes >= MAX_PENDING_BYTES) await this.flushing;
    if (this.failure) throw this.failure;
  }

  /** Writes every queued byte; rejects with the first write error. */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length > 0 && !this.failure) await (this.flushing = this.flush(0));
    if (this.failure) throw this.failure;
  }

  /** Writes queued bytes while at least `threshold` of them wait (all of them for 0). */
  private async flush(threshold: number): Promise<void> {
    try {
      while (this.pending.length > 0 && this.pendingBytes >= threshold && !this.failure) {
        const batch = this.pending.splice(0, MAX_BATCH);
        const size = batch.reduce((sum, b) => sum + b.length, 0);
        this.pendingBytes -= size;
        const { bytesWritten } = await this.handle.writev(batch, this.position);
        this.position += bytesWritten;
        this.onWritten?.(this.position);
        // A short write (disk full) ends the append: the caller reports the bytes that did land.
        if (bytesWritten !== size) throw Object.assign(new Error(`short write to the staging file: ${bytesWritten} of ${size} bytes`), { code: 'ENOSPC' });
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
