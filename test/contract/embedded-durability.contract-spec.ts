import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
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

  it('has a write in the journal file by the time it resolves, before any close', async () => {
    const dir = freshDir();
    const db = openDb(dir);
    await db.put('things', 'k', { marker: 'durable-before-close' });
    expect(readFileSync(join(dir, 'metadata.journal'), 'utf8')).toContain('durable-before-close');
  });

  it('ignores a torn last journal line, and a later write is not lost with it', async () => {
    const dir = freshDir();
    const first = openDb(dir);
    await first.put('things', 'kept', { v: 1 });
    await first.close();
    // A crash in the middle of an append: half a line, no newline.
    appendFileSync(join(dir, 'metadata.journal'), '{"c":"things","k":"torn","v":{"v":');

    const second = openDb(dir);
    expect(second.get('things', 'kept')).toEqual({ v: 1 });
    expect(second.get('things', 'torn')).toBeUndefined();
    await second.put('things', 'after', { v: 2 });
    await second.close();

    const third = openDb(dir);
    expect(third.get('things', 'kept')).toEqual({ v: 1 });
    expect(third.get('things', 'after')).toEqual({ v: 2 });
    expect(third.get('things', 'torn')).toBeUndefined();
  });

  it('compacts a journal grown far past the live data without losing any row', async () => {
    const dir = freshDir();
    const first = openDb(dir);
    const padding = 'x'.repeat(1000);
    for (let i = 0; i < 1500; i++) await first.put('things', `k${i % 10}`, { i, padding });
    await first.close();
    const before = statSync(join(dir, 'metadata.journal')).size;
    expect(before).toBeGreaterThan(1024 * 1024);

    const second = openDb(dir);
    expect(statSync(join(dir, 'metadata.journal')).size).toBeLessThan(before / 10);
    for (let k = 0; k < 10; k++) expect(second.get('things', `k${k}`)).toEqual({ i: 1490 + k, padding });
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
