import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  write,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

type Row = Record<string, unknown>;

/** One journal line: a put (v present) or a delete (v absent) of key k in collection c. */
interface JournalEntry {
  c: string;
  k: string;
  v?: Row;
}

/**
 * A single-node, file-backed document store for the embedded default: every collection lives in memory,
 * every change is appended to a journal and fsync'd before the write resolves (so a client never gets
 * success for data that is not durable). Writes that arrive together share one fsync. The journal is
 * compacted into a snapshot at open when it has grown well past the live data.
 *
 * Rows handed out are frozen copies: callers cannot mutate stored state behind the journal's back.
 */
export class EmbeddedDatabase {
  private readonly collections = new Map<string, Map<string, Row>>();
  private fd: number | undefined;
  private pending: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private journalBytes = 0;

  /** Directories held by instances of this process (the lock file alone cannot tell two of them apart). */
  private static readonly heldDirs = new Set<string>();

  private constructor(private readonly dir: string) {}

  /** Opens (creating when missing) the database in `dir`; refuses a directory another instance or live process holds. */
  static open(dir: string): EmbeddedDatabase {
    const absolute = resolve(dir);
    mkdirSync(absolute, { recursive: true });
    if (EmbeddedDatabase.heldDirs.has(absolute)) {
      throw new Error(`the embedded metadata store in ${absolute} is already open in this process`);
    }
    const db = new EmbeddedDatabase(absolute);
    db.acquireLock();
    EmbeddedDatabase.heldDirs.add(absolute);
    try {
      db.load();
    } catch (err) {
      db.releaseLock();
      throw err;
    }
    return db;
  }

  get(collection: string, key: string): Row | undefined {
    return this.collections.get(collection)?.get(key);
  }

  /** Every row of a collection, in insertion order. */
  values(collection: string): IterableIterator<Row> {
    return (this.collections.get(collection) ?? new Map<string, Row>()).values();
  }

  /** Every key and row of a collection, in insertion order. */
  entries(collection: string): IterableIterator<[string, Row]> {
    return (this.collections.get(collection) ?? new Map<string, Row>()).entries();
  }

  size(collection: string): number {
    return this.collections.get(collection)?.size ?? 0;
  }

  /** Stores `row` under `key`; resolves once the change is on disk. */
  async put(collection: string, key: string, row: Row): Promise<void> {
    const frozen = deepFreeze(structuredClone(row));
    await this.change({ c: collection, k: key, v: frozen });
  }

  /** Stores `row` only when `key` is absent (like a Cassandra LWT); returns whether it was stored. */
  async putIfAbsent(collection: string, key: string, row: Row): Promise<boolean> {
    if (this.get(collection, key) !== undefined) return false;
    await this.put(collection, key, row);
    return true;
  }

  async delete(collection: string, key: string): Promise<boolean> {
    if (this.get(collection, key) === undefined) return false;
    await this.change({ c: collection, k: key });
    return true;
  }

  /** Flushes and releases the directory (once: a second call must not release a later holder's lock). */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    await this.flushing;
    if (this.pending.length) await this.flush();
    if (this.fd === undefined) return; // a concurrent close() finished first
    closeSync(this.fd);
    this.fd = undefined;
    this.releaseLock();
  }

  private get journalPath(): string {
    return join(this.dir, 'metadata.journal');
  }
  private get lockPath(): string {
    return join(this.dir, 'metadata.lock');
  }

  /**
   * Takes the directory with a lock file holding our pid, created exclusively (O_EXCL) so that two processes
   * starting together cannot both win. A lock left by a dead process (a crash) is taken over; so is one
   * carrying our own pid, which can only be left over from an earlier run (e.g. a container restarted with
   * the same pid), since instances of this process are tracked in `heldDirs`.
   */
  private acquireLock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockPath, 'wx');
        try {
          writeSync(fd, String(process.pid));
        } finally {
          closeSync(fd);
        }
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = Number(readFileSync(this.lockPath, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(`the embedded metadata store in ${this.dir} is in use by process ${holder}`);
      }
      unlinkSync(this.lockPath);
    }
    throw new Error(`could not lock the embedded metadata store in ${this.dir}`);
  }

  private releaseLock(): void {
    EmbeddedDatabase.heldDirs.delete(this.dir);
    try {
      unlinkSync(this.lockPath);
    } catch {
      /* already gone */
    }
  }

  private load(): void {
    let liveBytes = 0;
    const created = !existsSync(this.journalPath);
    if (!created) {
      const buffer = readFileSync(this.journalPath);
      // A crash mid-append leaves a torn last line that was never acknowledged: drop it, so that the next
      // append starts on a line of its own instead of being glued to (and lost with) the fragment.
      const complete = buffer.lastIndexOf(0x0a) + 1;
      if (complete < buffer.length) this.truncateJournal(complete);
      const text = buffer.subarray(0, complete).toString('utf8');
      this.journalBytes = complete;
      for (const line of text.split('\n')) {
        if (!line) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          // Lines are only ever appended whole; an unreadable complete line is skipped rather than fatal.
          continue;
        }
        this.apply({ ...entry, v: entry.v === undefined ? undefined : deepFreeze(entry.v) });
      }
      for (const [c, rows] of this.collections) {
        for (const [k, v] of rows) liveBytes += JSON.stringify({ c, k, v }).length + 1;
      }
    }
    if (this.journalBytes > 2 * liveBytes + 1024 * 1024) this.compact();
    this.fd = openSync(this.journalPath, 'a');
    // A new file is durable only once its directory entry is.
    if (created) this.fsyncDir();
  }

  private truncateJournal(length: number): void {
    const fd = openSync(this.journalPath, 'r+');
    try {
      ftruncateSync(fd, length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private fsyncDir(): void {
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  /** Rewrites the journal as one line per live row: written aside, fsync'd, then renamed over. */
  private compact(): void {
    const tmp = this.journalPath + '.compact';
    const fd = openSync(tmp, 'w');
    try {
      for (const [c, rows] of this.collections) {
        for (const [k, v] of rows) writeSync(fd, JSON.stringify({ c, k, v }) + '\n');
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.journalPath);
    this.fsyncDir();
  }

  /**
   * Applies a change in memory at once (so a concurrent putIfAbsent sees it) and undoes it when the
   * journal write fails: the caller then gets an error and no reader keeps seeing a lost write.
   */
  private async change(entry: JournalEntry): Promise<void> {
    const previous = this.get(entry.c, entry.k);
    this.apply(entry);
    try {
      await this.append(entry);
    } catch (err) {
      if (this.get(entry.c, entry.k) === entry.v) this.apply({ c: entry.c, k: entry.k, v: previous });
      throw err;
    }
  }

  private apply(entry: JournalEntry): void {
    let rows = this.collections.get(entry.c);
    if (!rows) {
      rows = new Map();
      this.collections.set(entry.c, rows);
    }
    if (entry.v === undefined) rows.delete(entry.k);
    else rows.set(entry.k, entry.v);
  }

  private append(entry: JournalEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: JSON.stringify(entry) + '\n', resolve, reject });
      if (!this.flushing) {
        this.flushing = this.flushLoop().finally(() => (this.flushing = undefined));
      }
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length) await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      if (this.fd === undefined) throw new Error('embedded metadata store is closed');
      const handle = this.fd;
      const data = Buffer.from(batch.map((b) => b.line).join(''));
      // Async write + fdatasync keep the event loop free while the disk works.
      await writeAsync(handle, data, 0, data.length, null);
      await fdatasyncAsync(handle);
      this.journalBytes += data.length;
      for (const b of batch) b.resolve();
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
