import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase } from '../../src/persistence/embedded/embedded-database';
import { exitOf, firstLine, spawnTsChild } from '../support/ts-child-process';

/** Opens the database of argv[1] in a separate process, prints `opened` or `refused: …`, and holds it until stdin closes. */
const HOLDER_SCRIPT = `
const { EmbeddedDatabase } = require('./src/persistence/embedded/embedded-database.ts');
let db;
try {
  db = EmbeddedDatabase.open(process.argv[1]);
} catch (err) {
  console.log('refused: ' + err.message);
  process.exit(3);
}
console.log('opened');
process.stdin.resume();
process.stdin.on('end', async () => {
  await db.close();
  process.exit(0);
});
`;

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'rws-embedded-')), 'metadata');
}

describe('EmbeddedDatabase durability (embedded only)', () => {
  const open: EmbeddedDatabase[] = [];
  const openDb = (dir: string) => {
    const db = EmbeddedDatabase.open(dir);
    open.push(db);
    return db;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });

  it('keeps every acknowledged write across close and reopen of the same directory', async () => {
    const dir = freshDir();
    const first = openDb(dir);
    await first.put('things', 'a', { n: 1, nested: { list: [1, 2] } });
    await first.put('things', 'b', { n: 2 });
    await first.put('things', 'a', { n: 3 });
    await first.delete('things', 'b');
    await expect(first.putIfAbsent('things', 'a', { n: 4 })).resolves.toBe(false);
    await first.close();

    const second = openDb(dir);
    expect(second.get('things', 'a')).toEqual({ n: 3 });
    expect(second.get('things', 'b')).toBeUndefined();
    expect(second.size('things')).toBe(1);
  });

  it('has a write committed to the database file by the time it resolves, before any close', async () => {
    const dir = freshDir();
    const db = openDb(dir);
    await db.put('things', 'k', { marker: 'durable-before-close' });
    // Another connection sees only what is committed (in the file or its write-ahead log).
    const reader = new DatabaseSync(join(dir, 'metadata.sqlite'), { readOnly: true });
    try {
      expect(reader.prepare("SELECT value FROM rows WHERE collection = 'things' AND key = 'k'").get()).toEqual({ value: '{"marker":"durable-before-close"}' });
    } finally {
      reader.close();
    }
  });

  it('shows the writes of one turn to reads at once, before their shared commit', async () => {
    const dir = freshDir();
    const db = openDb(dir);
    const writes = Array.from({ length: 50 }, (_, i) => db.put('things', `k${i}`, { i }));
    expect(db.get('things', 'k49')).toEqual({ i: 49 });
    expect(db.size('things')).toBe(50);
    expect([...db.values('things')].map((r) => r.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await Promise.all(writes);
    expect(db.size('things')).toBe(50);
  });

  it('walks a collection larger than one read chunk in insertion order, an update keeping its place', async () => {
    const dir = freshDir();
    const db = openDb(dir);
    for (let i = 0; i < 600; i++) void db.put('things', `k${i}`, { i });
    await db.put('things', 'k0', { i: 'updated' });
    await db.delete('things', 'k1');
    const keys = [...db.entries('things')].map(([k]) => k);
    expect(keys).toHaveLength(599);
    expect(keys.slice(0, 2)).toEqual(['k0', 'k2']);
    expect(keys[598]).toBe('k599');
    expect(db.get('things', 'k0')).toEqual({ i: 'updated' });
  });

  it('refuses a second instance on a directory this process holds, until the first closes', async () => {
    const dir = freshDir();
    const first = openDb(dir);
    await first.put('things', 'a', { v: 1 });
    expect(() => EmbeddedDatabase.open(dir)).toThrow(/already open/);
    await first.close();
    await first.close(); // a second close must not release anything it no longer holds

    const second = openDb(dir);
    expect(second.get('things', 'a')).toEqual({ v: 1 });
    expect(() => EmbeddedDatabase.open(dir)).toThrow(/already open/);
  });

  it('refuses another process while this one holds the directory', async () => {
    const dir = freshDir();
    openDb(dir);
    const child = spawnTsChild(HOLDER_SCRIPT, [dir]);
    await expect(firstLine(child)).resolves.toMatch(new RegExp(`^refused: .*in use by process ${process.pid}`));
    await expect(exitOf(child)).resolves.toBe(3);
  }, 30_000);

  it('is refused while another process holds the directory, and takes over once that process died', async () => {
    const dir = freshDir();
    const child = spawnTsChild(HOLDER_SCRIPT, [dir]);
    try {
      await expect(firstLine(child)).resolves.toBe('opened');
      expect(() => EmbeddedDatabase.open(dir)).toThrow(new RegExp(`in use by process ${child.pid}`));
    } finally {
      // A crash: the child never closes, so its lock file stays behind.
      child.kill('SIGKILL');
      await exitOf(child);
    }
    expect(existsSync(join(dir, 'metadata.lock'))).toBe(true);
    const db = openDb(dir);
    await db.put('things', 'after-takeover', { v: 1 });
    expect(readFileSync(join(dir, 'metadata.lock'), 'utf8')).toBe(String(process.pid));
  }, 30_000);
});
