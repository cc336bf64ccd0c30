import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { translateDiskError } from '../../common/errors/disk-errors';
import { DirectoryLock } from './directory-lock';
import { migrateJournalIfPresent } from './journal-migration';
import { INDEX_SCHEMA, IndexScan, RowIndex, RowIndexes, ScannedEntry } from './row-indexes';
import { translateSqliteError } from './sqlite-failures';
import { WalSync } from './wal-sync';

export type { IndexEntry, IndexScan, RowIndex, ScannedEntry } from './row-indexes';

type Row = Record<string, unknown>;

/** A change waiting for its transaction: the row's JSON, or null for a delete. */
interface PendingChange {
  collection: string;
  key: string;
  json: string | null;
  /** The row as the caller handed it (indexes read it instead of parsing `json` again; rows are not mutated once put). */
  row?: Row;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Rows per read of a collection walk: memory stays bounded whatever the collection's size. */
const WALK_CHUNK = 256;

export const DATABASE_FILE = 'metadata.sqlite';

/** Size of the readiness probe's write (see checkWritable). */
const PROBE_BYTES = 256 * 1024;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rows (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key));
  -- Walks a collection in insertion order (the rowid is the index's last column): no sort, no scan of other collections.
  CREATE INDEX IF NOT EXISTS rows_by_collection ON rows (collection);
  CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  ${INDEX_SCHEMA}
`;

/**
 * The embedded default's document store, on SQLite (`node:sqlite`): collections of JSON rows by key, in
 * one file of the data directory, read through SQLite (nothing is held wholly in memory).
 *
 * Writes: a change is visible to `get` at once (so a read-decide-write that does not await in between is
 * atomic, as adapters rely on), and is committed with every other change of the same event-loop turn in
 * one transaction (group commit); the promise resolves only after that commit's log frames are fsync'd
 * (WalSync, off the event loop, so the next batch is built and committed meanwhile). When a commit fails (disk full, read-only, I/O error) the whole
 * transaction rolls back, every change of it is rejected (507/503) and forgotten, so reads fall back to
 * the last committed value: nothing unacknowledged ever becomes visible again.
 *
 * Secondary indexes (`defineIndex`) are maintained in the same transactions, for collections too big to walk.
 */
export class EmbeddedDatabase {
  /** Changes not yet committed, per collection and key, in arrival order. */
  private pending = new Map<string, Map<string, PendingChange>>();
  private queue: PendingChange[] = [];
  private flushScheduled: NodeJS.Immediate | undefined;
  private readonly statements = new Map<string, StatementSync>();
  private readonly indexes: RowIndexes;
  private closed = false;

  private constructor(
    private readonly sqlite: DatabaseSync,
    private readonly lock: DirectoryLock,
    private readonly walSync: WalSync,
  ) {
    this.indexes = new RowIndexes(sqlite, (sql) => this.statement(sql));
  }

  /** Opens (creating when missing) the database in `dir`; refuses a directory another instance or live process holds. */
  static open(dir: string): EmbeddedDatabase {
    const absolute = resolve(dir);
    mkdirSync(absolute, { recursive: true });
    const lock = DirectoryLock.acquire(absolute, 'embedded metadata store');
    let sqlite: DatabaseSync | undefined;
    try {
      migrateJournalIfPresent(absolute);
      sqlite = openSqlite(join(absolute, DATABASE_FILE));
      return new EmbeddedDatabase(sqlite, lock, new WalSync(join(absolute, `${DATABASE_FILE}-wal`)));
    } catch (err) {
      sqlite?.close();
      lock.release();
      throw translateSqliteError(err);
    }
  }

  get(collection: string, key: string): Row | undefined {
    const change = this.pending.get(collection)?.get(key);
    if (change) return change.json === null ? undefined : (JSON.parse(change.json) as Row);
    const row = this.read('SELECT value FROM rows WHERE collection = ? AND key = ?', collection, key)[0];
    return row ? (JSON.parse(row.value as string) as Row) : undefined;
  }

  /** Whether `key` holds a row (changes not yet committed included), without reading the row. */
  has(collection: string, key: string): boolean {
    const change = this.pending.get(collection)?.get(key);
    if (change) return change.json !== null;
    return this.read('SELECT 1 FROM rows WHERE collection = ? AND key = ?', collection, key).length > 0;
  }

  /** Every row of a collection, in insertion order, read in chunks. */
  *values(collection: string): IterableIterator<Row> {
    for (const [, row] of this.entries(collection)) yield row;
  }

  /** Every key and row of a collection, in insertion order, read in chunks (changes not yet committed included). */
  *entries(collection: string): IterableIterator<[string, Row]> {
    const pending = new Map(this.pending.get(collection) ?? []);
    const met = new Set<string>();
    let after = -1;
    for (;;) {
      const rows = this.read('SELECT rowid AS id, key, value FROM rows WHERE collection = ? AND rowid > ? ORDER BY rowid LIMIT ?', collection, after, WALK_CHUNK);
      for (const row of rows) {
        after = row.id as number;
        const key = row.key as string;
        const change = pending.get(key);
        if (change) met.add(key);
        const json = change ? change.json : (row.value as string);
        if (json !== null) yield [key, JSON.parse(json) as Row];
      }
      if (rows.length < WALK_CHUNK) break;
    }
    for (const [key, change] of pending) if (!met.has(key) && change.json !== null) yield [key, JSON.parse(change.json) as Row];
  }

  size(collection: string): number {
    let count = this.read('SELECT count(*) AS n FROM rows WHERE collection = ?', collection)[0].n as number;
    for (const [key, change] of this.pending.get(collection) ?? []) {
      const stored = this.read('SELECT 1 FROM rows WHERE collection = ? AND key = ?', collection, key).length > 0;
      count += (change.json !== null ? 1 : 0) - (stored ? 1 : 0);
    }
    return count;
  }

  /** Stores `row` under `key`; resolves once the change is committed. */
  put(collection: string, key: string, row: Row): Promise<void> {
    return this.change(collection, key, JSON.stringify(row), row);
  }

  /** Stores `row` only when `key` is absent (like a Cassandra LWT); returns whether it was stored. */
  async putIfAbsent(collection: string, key: string, row: Row): Promise<boolean> {
    if (this.has(collection, key)) return false;
    await this.put(collection, key, row);
    return true;
  }

  async delete(collection: string, key: string): Promise<boolean> {
    if (!this.has(collection, key)) return false;
    await this.change(collection, key, null);
    return true;
  }

  /**
   * Declares a secondary index over a collection: its entries are written in the transaction of every
   * change of the collection. Built from the stored rows when new or when its version changed.
   */
  defineIndex(index: RowIndex): void {
    this.flushNow();
    this.indexes.define(index, (collection) => this.entries(collection));
  }

  /** Entries of one index term, in descending (sort, key) order, read in chunks. */
  scanDescending(index: string, term: string, scan: IndexScan = {}): IterableIterator<ScannedEntry> {
    return this.indexes.scanDescending(index, term, scan);
  }

  /** At most `limit` entries of one index term whose sort lies in [from, below), in ascending order. */
  rangeAscending(index: string, term: string, from: number | string, below: number | string, limit: number): ScannedEntry[] {
    return this.indexes.rangeAscending(index, term, from, below, limit);
  }

  /**
   * Resolves when a write commits: a probe transaction of PROBE_BYTES, so a disk that filled up, went
   * read-only or fails shows as soon as writes fail, and recovery as soon as space returns. The probe is
   * big enough not to fit in the log space a rolled-back transaction left allocated on a full disk.
   */
  async checkWritable(): Promise<void> {
    if (this.closed) throw new Error('embedded metadata store is closed');
    try {
      this.sqlite.exec('BEGIN IMMEDIATE');
      this.statement('INSERT INTO meta (name, value) VALUES (?, zeroblob(?)) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run('write-probe', PROBE_BYTES);
      this.sqlite.exec('COMMIT');
    } catch (err) {
      this.rollback();
      throw new Error(`writes fail: ${(err as Error).message}`);
    }
  }

  /** Commits what is pending and releases the directory (once: a second call must not release a later holder's lock). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flushNow();
    this.closed = true;
    this.statements.clear();
    try {
      await this.walSync.close();
      this.sqlite.close();
    } finally {
      this.lock.release();
    }
  }

  private change(collection: string, key: string, json: string | null, row?: Row): Promise<void> {
    if (this.closed) return Promise.reject(new Error('embedded metadata store is closed'));
    return new Promise((resolve, reject) => {
      const change: PendingChange = { collection, key, json, row, resolve, reject };
      let byKey = this.pending.get(collection);
      if (!byKey) this.pending.set(collection, (byKey = new Map()));
      byKey.set(key, change);
      this.queue.push(change);
      // Every change of this turn of the event loop joins one transaction.
      this.flushScheduled ??= setImmediate(() => this.flushNow());
    });
  }

  /**
   * Commits the queued changes in one transaction, then settles each one's promise once the log is on
   * disk (WalSync). A failed transaction rolls back and rejects every change of it.
   */
  private flushNow(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.pending = new Map();
    try {
      this.sqlite.exec('BEGIN IMMEDIATE');
      for (const change of batch) this.apply(change);
      this.sqlite.exec('COMMIT');
    } catch (err) {
      this.rollback();
      const failure = translateSqliteError(err);
      for (const change of batch) change.reject(failure);
      return;
    }
    this.walSync.afterCommit().then(
      () => batch.forEach((change) => change.resolve()),
      (err: unknown) => {
        const failure = translateDiskError(err, 'metadata store');
        batch.forEach((change) => change.reject(failure));
      },
    );
  }

  private apply(change: PendingChange): void {
    const { collection, key, json } = change;
    if (this.indexes.covers(collection)) {
      const before = this.read('SELECT value FROM rows WHERE collection = ? AND key = ?', collection, key)[0];
      const after = json === null ? undefined : (change.row ?? (JSON.parse(json) as Row));
      this.indexes.replace(collection, key, before ? (JSON.parse(before.value as string) as Row) : undefined, after);
    }
    if (json === null) this.statement('DELETE FROM rows WHERE collection = ? AND key = ?').run(collection, key);
    else this.statement('INSERT INTO rows (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value').run(collection, key, json);
  }

  private rollback(): void {
    try {
      if (this.sqlite.isTransaction) this.sqlite.exec('ROLLBACK');
    } catch {
      /* SQLite already rolled back (it does on some I/O errors) */
    }
  }

  private read(sql: string, ...params: (string | number)[]): Record<string, unknown>[] {
    try {
      return this.statement(sql).all(...params) as Record<string, unknown>[];
    } catch (err) {
      throw translateSqliteError(err);
    }
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * WAL with synchronous=NORMAL: a commit writes its log frames without fsync, and EmbeddedDatabase
 * acknowledges it only after WalSync has fdatasync'd the log (see there: the guarantee of FULL, with the
 * sync off the event loop). SQLite syncs the log before and the database after every checkpoint. The page
 * cache is bounded.
 */
export function openSqlite(path: string): DatabaseSync {
  const sqlite = new DatabaseSync(path);
  try {
    sqlite.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA cache_size = -16384;
      PRAGMA journal_size_limit = 67108864;
      PRAGMA busy_timeout = 2000;
      ${SCHEMA}
    `);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return sqlite;
}
