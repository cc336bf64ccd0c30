import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);

/**
 * Makes committed transactions durable off the event loop. SQLite runs with synchronous=NORMAL in WAL
 * mode: a COMMIT writes its frames to the write-ahead log without fsync (and SQLite itself syncs the log
 * before every checkpoint and the database after it). This fdatasyncs the log file after commits, on the
 * thread pool; a commit is acknowledged only once a sync that started after it has completed. That is the
 * guarantee of synchronous=FULL (log frames, and the log header after a reset, on disk before the writer
 * is answered), while the event loop keeps serving requests (and batching the next commit) during the
 * sync. Syncs are coalesced: one in flight, the next covering every commit made meanwhile.
 */
export class WalSync {
  private fd: number | undefined;
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before this call is on disk. */
  afterCommit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.running ??= this.loop().finally(() => (this.running = undefined));
    });
  }

  /** Waits for the syncs in flight, then releases the log file. */
  async close(): Promise<void> {
    while (this.running) await this.running;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async loop(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await fdatasyncAsync(this.open());
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }

  /** The log exists once a first transaction committed; its directory entry is made durable once. */
  private open(): number {
    if (this.fd === undefined) {
      this.fd = openSync(this.walPath, 'r');
      const dir = openSync(dirname(this.walPath), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.fd;
  }
}
