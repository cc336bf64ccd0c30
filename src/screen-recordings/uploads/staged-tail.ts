import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';

/** Bytes per read from the staging file: large enough that per-chunk stream overhead vanishes. */
const READ_BYTES = 512 * 1024;
/** How long fewer than READ_BYTES staged bytes wait for more before they are read anyway. */
const LINGER_MS = 20;

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
  private lingerTimer: NodeJS.Timeout | undefined;

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
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.waiting) this.readMore();
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
    clearTimeout(this.lingerTimer);
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return callback(err);
    handle.close().then(
      () => callback(err),
      () => callback(err),
    );
  }

  /** Reads the next staged bytes: a full READ_BYTES, or what there is once it lingered (`partial`) or at the end. */
  private readMore(partial = false): void {
    if (this.reading || this.destroyed || !this.handle) return;
    if (this.position >= this.length) {
      this.push(null);
      return;
    }
    const ready = this.available - this.position;
    if (ready === 0 || (ready < Math.min(READ_BYTES, this.length - this.position) && !partial)) {
      this.wait(ready > 0);
      return;
    }
    this.waiting = false;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.reading = true;
    const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, ready));
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

  private wait(someReady: boolean): void {
    this.waiting = true;
    if (!this.idleTimer) {
      this.idleTimer = setTimeout(() => this.destroy(new StagedTailIdleError(this.idleMs)), this.idleMs);
      this.idleTimer.unref();
    }
    if (someReady && !this.lingerTimer) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        if (this.waiting) this.readMore(true);
      }, LINGER_MS);
      this.lingerTimer.unref();
    }
  }
}
