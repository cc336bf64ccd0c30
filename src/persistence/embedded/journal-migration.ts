import { Logger } from '@nestjs/common';
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The journal of the store before SQLite: one JSON line per put (`v` present) or delete of key `k` in collection `c`. */
export const JOURNAL_FILE = 'metadata.journal';
const CONVERTING_FILE = 'metadata.sqlite.converting';
const ROWS_PER_TRANSACTION = 10_000;
const READ_CHUNK = 1 << 20;

type Collections = Map<string, Map<string, string>>;

/**
 * Converts a data directory of the journal store at first start: the journal is replayed into a new
 * SQLite file built aside, which is then read back and compared row by row with the replay; only then
 * does it take the database's name, and the journal is renamed aside (`metadata.journal.converted-…`,
 * kept for the operator to delete). A crash anywhere before that rename leaves the journal in place and
 * the conversion simply runs again at the next start.
 *
 * The replay holds the final rows (as JSON text) in memory once, as the journal store did at every start.
 */
export function migrateJournalIfPresent(dir: string): void {
  const journal = join(dir, JOURNAL_FILE);
  if (!existsSync(journal)) return;
  const logger = new Logger('EmbeddedDatabase');
  const collections = readJournal(journal);
  const converting = join(dir, CONVERTING_FILE);
  removeDatabaseFiles(converting);
  writeRows(converting, collections);
  verify(converting, collections);
  const target = join(dir, 'metadata.sqlite');
  // A log or shared-memory file of an earlier database must never be replayed into the new one.
  removeDatabaseFiles(target);
  renameSync(converting, target);
  renameSync(journal, `${journal}.converted-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fsyncDir(dir);
  const rows = [...collections.values()].reduce((n, c) => n + c.size, 0);
  logger.log({ msg: 'converted the metadata journal to SQLite', rows, collections: collections.size });
}

/**
 * Reads a journal as the journal store loaded it: the final row of every key, in first-insertion order; a
 * torn last line (a crash mid-append, never acknowledged) is ignored, as is an unreadable complete line.
 * Lines are read in chunks, so a journal larger than a JavaScript string still converts.
 */
export function readJournal(path: string): Collections {
  const collections: Collections = new Map();
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(READ_CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buffer, 0, READ_CHUNK, null);
      if (n === 0) break;
      let data = Buffer.concat([carry, buffer.subarray(0, n)]);
      let newline: number;
      while ((newline = data.indexOf(0x0a)) >= 0) {
        applyLine(collections, data.subarray(0, newline).toString('utf8'));
        data = data.subarray(newline + 1);
      }
      carry = Buffer.from(data);
    }
  } finally {
    closeSync(fd);
  }
  return collections;
}

function applyLine(collections: Collections, line: string): void {
  if (!line) return;
  let entry: { c?: unknown; k?: unknown; v?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return;
  }
  if (typeof entry.c !== 'string' || typeof entry.k !== 'string') return;
  let rows = collections.get(entry.c);
  if (!rows) collections.set(entry.c, (rows = new Map()));
  if (entry.v === undefined) rows.delete(entry.k);
  else rows.set(entry.k, JSON.stringify(entry.v));
}

function writeRows(path: string, collections: Collections): void {
  const sqlite = new DatabaseSync(path);
  try {
    sqlite.exec('PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;');
    sqlite.exec('CREATE TABLE IF NOT EXISTS rows (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key))');
    const insert = sqlite.prepare('INSERT INTO rows (collection, key, value) VALUES (?, ?, ?)');
    let inTransaction = 0;
    sqlite.exec('BEGIN');
    for (const [collection, rows] of collections) {
      for (const [key, json] of rows) {
        insert.run(collection, key, json);
        if (++inTransaction === ROWS_PER_TRANSACTION) {
          sqlite.exec('COMMIT; BEGIN');
          inTransaction = 0;
        }
      }
    }
    sqlite.exec('COMMIT');
  } finally {
    sqlite.close();
  }
}

/** Reads the new file back: every collection has exactly the replayed rows, each with the same content. */
function verify(path: string, collections: Collections): void {
  const sqlite = new DatabaseSync(path, { readOnly: true });
  try {
    const count = sqlite.prepare('SELECT count(*) AS n FROM rows WHERE collection = ?');
    const read = sqlite.prepare('SELECT value FROM rows WHERE collection = ? AND key = ?');
    let expected = 0;
    for (const [collection, rows] of collections) {
      expected += rows.size;
      const stored = (count.get(collection) as { n: number }).n;
      if (stored !== rows.size) throw new Error(`journal conversion check failed: ${collection} has ${stored} rows, the journal ${rows.size}`);
      for (const [key, json] of rows) {
        const row = read.get(collection, key) as { value: string } | undefined;
        if (row?.value !== json) throw new Error(`journal conversion check failed: ${collection}/${key} differs`);
      }
    }
    const total = (sqlite.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n;
    if (total !== expected) throw new Error(`journal conversion check failed: ${total} rows stored, the journal has ${expected}`);
  } finally {
    sqlite.close();
  }
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
