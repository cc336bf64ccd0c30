import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  write,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
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

  private constructor(private readonly dir: string) {}

  /** Opens (creating when missing) the database in `dir`; refuses a directory another live process holds. */
  static open(dir: string): EmbeddedDatabase {
    mkdirSync(dir, { recursive: true });
    const db = new EmbeddedDatabase(dir);
    db.acquireLock();
    db.load();
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

  /** Flushes and releases the directory. */
  async close(): Promise<void> {
    await this.flushing;
    if (this.pending.length) await this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    try {
      unlinkSync(this.lockPath);
    } catch {
      /* already gone */
    }
  }

  private get journalPath(): string {
    return join(this.dir, 'metadata.journal');
  }
  private get lockPath(): string {
    return join(this.dir, 'metadata.lock');
  }

  private acquireLock(): void {
    if (existsSync(this.lockPath)) {
      const holder = Number(readFileSync(this.lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(`the embedded metadata store in ${this.dir} is in use by process ${holder}`);
      }
    }
    writeFileSync(this.lockPath, String(process.pid));
  }

  private load(): void {
    let liveBytes = 0;
    if (existsSync(this.journalPath)) {
      const text = readFileSync(this.journalPath, 'utf8');
      this.journalBytes = Buffer.byteLength(text);
      for (const line of text.split('\n')) {
        if (!line) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          // Only the last line can be torn (a crash mid-append); it was never acknowledged.
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
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
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
