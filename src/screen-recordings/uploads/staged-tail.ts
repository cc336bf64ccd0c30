import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';

/** Bytes per read from the staging file: large enough that per-chunk stream overhead vanishes. */
const READ_BYTES = 1024 * 1024;

/** The staged file followed by a StagedTail did not receive more bytes within its idle time. */
export class StagedTailIdleError extends Error {
  constructor(idleMs: number) {
    super(`no staged bytes arrived for ${idleMs} ms`);
  }
}

/**
 * Reads a staging file from its start while it grows: bytes up to the staged offset are read at once, then
 * the stream waits for `extend()` (the next appended bytes) and ends once `length` bytes have been read.
 * Reading from the file rather than from the request decouples the client from storage: a slow or failed
 * PUT never slows or fails a PATCH, and a dropped request loses nothing the tail still has to read.
 * Fails with StagedTailIdleError when no byte arrives for `idleMs` while it waits.
 */
export class StagedTail extends Readable {
  private handle: fs.FileHandle | undefined;
  private position = 0;
  private reading = false;
  private waiting = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private available: number,
    private readonly length: number,
    private readonly idleMs: number,
  ) {
    super({ highWaterMark: READ_BYTES });
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.position;
  }

  /** The file now holds `offset` bytes. */
  extend(offset: number): void {
    if (offset <= this.available) return;
    this.available = Math.min(offset, this.length);
    if (this.waiting) {
      this.waiting = false;
      clearTimeout(this.idleTimer);
      this.readMore();
    }
  }

  override _construct(callback: (err?: Error | null) => void): void {
    fs.open(this.path, 'r').then(
      (handle) => {
        this.handle = handle;
        callback();
      },
      (err: Error) => callback(err),
    );
  }

  override _read(): void {
    this.readMore();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return callback(err);
    handle.close().then(
      () => callback(err),
      () => callback(err),
    );
  }

  private readMore(): void {
    if (this.reading || this.destroyed || !this.handle) return;
    if (this.position >= this.length) {
      this.push(null);
      return;
    }
    if (this.position >= this.available) {
      this.waiting = true;
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.destroy(new StagedTailIdleError(this.idleMs)), this.idleMs);
      this.idleTimer.unref();
      return;
    }
    this.reading = true;
    const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, this.available - this.position));
    this.handle.read(buffer, 0, buffer.length, this.position).then(
      ({ bytesRead }) => {
        this.reading = false;
        if (this.destroyed) return;
        // The staged offset is only advanced after the bytes were written: fewer means the file was cut behind us.
        if (bytesRead === 0) return void this.destroy(new Error(`staged file ended at ${this.position} bytes, ${this.available} were staged`));
        this.position += bytesRead;
        this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      },
      (err: Error) => {
        this.reading = false;
        this.destroy(err);
      },
    );
  }
}
