import type { DatabaseSync, StatementSync } from 'node:sqlite';

type Row = Record<string, unknown>;
type Sort = number | string;

/** One entry a row contributes to an index: found under `term`, ordered by `sort` (then by the row's key). */
export interface IndexEntry {
  term: string;
  sort: Sort;
  /** Small payload kept with the entry (e.g. what a filter needs), so a walk need not read the row. */
  data?: string;
}

/** A secondary index over one collection, kept in the transaction of every change of a row. */
export interface RowIndex {
  name: string;
  collection: string;
  /** Bump when `entriesOf` changes: the index is rebuilt from the rows at the next open. */
  version: number;
  entriesOf(key: string, row: Row): IndexEntry[];
}

/** Bounds of a descending walk of one term. */
export interface IndexScan {
  /** Only entries strictly before this position in descending order. */
  before?: { sort: Sort; key: string };
  /** Only entries whose sort is at most this. */
  max?: Sort;
  /** Only entries whose sort is at least this. */
  min?: Sort;
}

export interface ScannedEntry {
  key: string;
  sort: Sort;
  data?: string;
}

/** Entries per read of a walk: a walk that stops early reads little, one that goes on stays bounded. */
const SCAN_CHUNK = 128;

export const INDEX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS index_entries (
    name TEXT NOT NULL, term TEXT NOT NULL, sort ANY NOT NULL, key TEXT NOT NULL, data TEXT,
    PRIMARY KEY (name, term, sort, key)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS index_versions (name TEXT PRIMARY KEY, collection TEXT NOT NULL, version INTEGER NOT NULL);
`;

/**
 * The secondary indexes of the embedded database: one table of (index, term, sort, key) entries, walked
 * by range in descending order. An index whose version is recorded in the file but which this process
 * has not defined (yet) is marked for rebuild as soon as its collection changes, so it never goes stale.
 */
export class RowIndexes {
  private readonly defined = new Map<string, RowIndex[]>();
  /** Indexes recorded in the file but not defined by this process, per collection. */
  private readonly undefinedByCollection = new Map<string, Set<string>>();

  constructor(
    private readonly sqlite: DatabaseSync,
    private readonly statement: (sql: string) => StatementSync,
  ) {
    for (const row of sqlite.prepare('SELECT name, collection FROM index_versions').all() as { name: string; collection: string }[]) {
      const names = this.undefinedByCollection.get(row.collection) ?? new Set<string>();
      names.add(row.name);
      this.undefinedByCollection.set(row.collection, names);
    }
  }

  define(index: RowIndex, rowsOf: (collection: string) => Iterable<[string, Row]>): void {
    const list = this.defined.get(index.collection) ?? [];
    if (list.some((i) => i.name === index.name)) throw new Error(`index ${index.name} is already defined`);
    this.defined.set(index.collection, [...list, index]);
    this.undefinedByCollection.get(index.collection)?.delete(index.name);
    const stored = this.statement('SELECT version FROM index_versions WHERE name = ?').get(index.name) as { version: number } | undefined;
    if (stored?.version === index.version) return;
    this.sqlite.exec('BEGIN IMMEDIATE');
    try {
      this.statement('DELETE FROM index_entries WHERE name = ?').run(index.name);
      const insert = this.insertStatement();
      for (const [key, row] of rowsOf(index.collection)) {
        for (const e of index.entriesOf(key, row)) insert.run(index.name, e.term, e.sort, key, e.data ?? null);
      }
      this.statement('INSERT INTO index_versions (name, collection, version) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version, collection = excluded.collection').run(index.name, index.collection, index.version);
      this.sqlite.exec('COMMIT');
    } catch (err) {
      this.sqlite.exec('ROLLBACK');
      throw err;
    }
  }

  /** Whether changes of the collection touch an index (then the caller hands `replace` the old row). */
  covers(collection: string): boolean {
    return this.defined.has(collection) || (this.undefinedByCollection.get(collection)?.size ?? 0) > 0;
  }

  /** Replaces the entries of `before` by those of `after` in every index of the collection (inside the caller's transaction). */
  replace(collection: string, key: string, before: Row | undefined, after: Row | undefined): void {
    const stale = this.undefinedByCollection.get(collection);
    if (stale?.size) {
      // An index this process does not know cannot be kept: forget its version, the next definer rebuilds it.
      for (const name of stale) this.statement('DELETE FROM index_versions WHERE name = ?').run(name);
      stale.clear();
    }
    for (const index of this.defined.get(collection) ?? []) {
      const old = before ? index.entriesOf(key, before) : [];
      const next = after ? index.entriesOf(key, after) : [];
      const identity = (e: IndexEntry) => `${e.term}\u0000${typeof e.sort}\u0000${e.sort}\u0000${e.data ?? ''}`;
      const keep = new Set(next.map(identity));
      const had = new Set(old.map(identity));
      for (const e of old) if (!keep.has(identity(e))) this.statement('DELETE FROM index_entries WHERE name = ? AND term = ? AND sort = ? AND key = ?').run(index.name, e.term, e.sort, key);
      for (const e of next) if (!had.has(identity(e))) this.insertStatement().run(index.name, e.term, e.sort, key, e.data ?? null);
    }
  }

  *scanDescending(index: string, term: string, scan: IndexScan): IterableIterator<ScannedEntry> {
    let before = scan.before;
    for (;;) {
      const clauses = ['name = ?', 'term = ?'];
      const params: Sort[] = [index, term];
      if (before) {
        clauses.push('(sort, key) < (?, ?)');
        params.push(before.sort, before.key);
      }
      if (scan.max !== undefined) {
        clauses.push('sort <= ?');
        params.push(scan.max);
      }
      if (scan.min !== undefined) {
        clauses.push('sort >= ?');
        params.push(scan.min);
      }
      const sql = `SELECT key, sort, data FROM index_entries WHERE ${clauses.join(' AND ')} ORDER BY sort DESC, key DESC LIMIT ${SCAN_CHUNK}`;
      const rows = this.statement(sql).all(...params) as { key: string; sort: Sort; data: string | null }[];
      for (const row of rows) yield { key: row.key, sort: row.sort, data: row.data ?? undefined };
      if (rows.length < SCAN_CHUNK) return;
      const last = rows[rows.length - 1];
      before = { sort: last.sort, key: last.key };
    }
  }

  /** At most `limit` entries of one term whose sort lies in [from, below), in ascending (sort, key) order. */
  rangeAscending(index: string, term: string, from: Sort, below: Sort, limit: number): ScannedEntry[] {
    const rows = this.statement('SELECT key, sort, data FROM index_entries WHERE name = ? AND term = ? AND sort >= ? AND sort < ? ORDER BY sort, key LIMIT ?').all(index, term, from, below, limit) as {
      key: string;
      sort: Sort;
      data: string | null;
    }[];
    return rows.map((row) => ({ key: row.key, sort: row.sort, data: row.data ?? undefined }));
  }

  private insertStatement(): StatementSync {
    return this.statement('INSERT OR REPLACE INTO index_entries (name, term, sort, key, data) VALUES (?, ?, ?, ?, ?)');
  }
}
