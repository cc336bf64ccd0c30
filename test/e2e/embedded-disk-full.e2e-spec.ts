/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are walked loosely in assertions */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { InsufficientStorageException } from '../../src/common/errors/rws.exception';
import { FilesystemRecordingStorage } from '../../src/storage/filesystem/filesystem-recording-storage';
import { EmbeddedDatabase } from '../../src/persistence/embedded/embedded-database';
import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * The embedded default on a small real file system that fills up: a tmpfs mounted for this suite (the
 * tests run as root) is the data directory, a filler file takes every free byte, then is removed.
 */
function mountTmpfs(sizeMiB: number): string {
  const dir = mkdtempSync('/tmp/rws-disk-full-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir]);
  return dir;
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `path` until the file system refuses another byte; returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

describe('embedded store on a disk that fills up (embedded only)', () => {
  const mounts: string[] = [];
  afterAll(() => mounts.forEach(unmount));

  it('never lets a failed write come back: after two failed writes to one key, reads see the last committed value', async () => {
    const dir = mountTmpfs(4);
    mounts.push(dir);
    const db = EmbeddedDatabase.open(join(dir, 'metadata'));
    try {
      await db.put('things', 'k', { v: 'committed' });
      fillDisk(join(dir, 'filler'));
      const big = 'x'.repeat(64 * 1024);
      const first = db.put('things', 'k', { v: 'first', big });
      expect(db.get('things', 'k')).toMatchObject({ v: 'first' });
      await expect(first).rejects.toMatchObject({ options: { retryAfterSeconds: 30 }, code: 'INSUFFICIENT_STORAGE' });
      await expect(db.put('things', 'k', { v: 'second', big })).rejects.toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
      expect(db.get('things', 'k')).toEqual({ v: 'committed' });
      await expect(db.checkWritable()).rejects.toThrow(/writes fail/);

      unlinkSync(join(dir, 'filler'));
      await expect(db.checkWritable()).resolves.toBeUndefined();
      await db.put('things', 'k', { v: 'after' });
    } finally {
      await db.close();
    }
    const reopened = EmbeddedDatabase.open(join(dir, 'metadata'));
    try {
      expect(reopened.get('things', 'k')).toEqual({ v: 'after' });
    } finally {
      await reopened.close();
    }
  });

  it('refuses a media object that does not fit with 507, leaving no part of it in storage', async () => {
    const dir = mountTmpfs(2);
    mounts.push(dir);
    const storage = new FilesystemRecordingStorage(join(dir, 'storage'));
    await storage.init();
    await storage.write('ccid/small.mp3', Readable.from([Buffer.alloc(1000, 1)]));
    await expect(storage.write('ccid/huge.mp3', Readable.from([Buffer.alloc(3 << 20, 1)]))).rejects.toBeInstanceOf(InsufficientStorageException);
    expect(await storage.stat('ccid/huge.mp3')).toBeUndefined();
    expect(readdirSync(join(dir, 'storage', 'ccid'))).toEqual(['small.mp3']);
    await storage.write('ccid/after.mp3', Readable.from([Buffer.alloc(1000, 2)]));
  });

  describe('200 inserts over HTTP while the disk fills and is freed again', () => {
    let dataDir: string;
    let app: TestApp;
    let ccid: string;
    const answers: { doc: Record<string, any>; status: number; body: Record<string, unknown>; retryAfter: string | null }[] = [];
    const readiness: { phase: string; status: number; metadata: string }[] = [];

    const ready = async (phase: string) => {
      const res = await client(app).get('/health/ready');
      readiness.push({ phase, status: res.status, metadata: (res.body.dependencies as any)?.metadata?.status });
    };

    beforeAll(async () => {
      dataDir = mountTmpfs(16);
      mounts.push(dataDir);
      mkdirSync(join(dataDir, 'data'));
      const config = testConfig({ env: { RWS_DATA_DIR: join(dataDir, 'data') } });
      app = await startTestApp(config);
      ccid = await createContactCenter(app);
      const http = client(app);
      const filler = join(dataDir, 'filler');
      for (let i = 0; i < 200; i++) {
        if (i === 60) fillDisk(filler);
        if (i === 140) {
          unlinkSync(filler);
          await ready('freed');
        }
        const doc = recordingDocument({ id: `DISKFULL${String(i).padStart(4, '0')}`, custom: { n: i, pad: 'p'.repeat(2000) } });
        const res = await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
        answers.push({ doc, status: res.status, body: res.body, retryAfter: res.headers.get('retry-after') });
        // Writes may still land in log space freed by a checkpoint for a while; once one fails, readiness must say so.
        if (res.status !== 200 && readiness.length === 0) await ready('full');
      }
      await app.close();
      // Restart on the same directory: only what is on disk counts now.
      app = await startTestApp(config);
    }, 120_000);
    afterAll(() => app?.close());

    it('answered every insert 200 or with an envelope 507/503 carrying Retry-After, and some of each', () => {
      for (const a of answers) {
        if (a.status === 200) continue;
        expect([507, 503]).toContain(a.status);
        expect(a.body).toEqual({ statusCode: 9, statusMessage: expect.any(String) });
        expect(a.retryAfter).toMatch(/^\d+$/);
      }
      const ok = answers.filter((a) => a.status === 200).length;
      expect(ok).toBeGreaterThanOrEqual(120);
      expect(answers.filter((a) => a.status === 507).length).toBeGreaterThan(0);
      // Once space is back, writes work again.
      expect(answers.slice(140).every((a) => a.status === 200)).toBe(true);
    });

    it('reported the metadata store down while the disk was full, and up once freed', () => {
      expect(readiness).toEqual([
        { phase: 'full', status: 503, metadata: 'down' },
        { phase: 'freed', status: 200, metadata: 'up' },
      ]);
    });

    it('has every acknowledged insert intact after the restart, and none of the refused ones', async () => {
      const http = client(app);
      for (const a of answers) {
        const res = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${a.doc.id}`);
        if (a.status === 200) {
          expect(res.status).toBe(200);
          expect((res.body.recording as any).custom).toEqual(a.doc.custom);
          expect((res.body.recording as any).mediaFiles[0].mediaId).toBe(a.doc.mediaFiles[0].mediaId);
        } else {
          expect(res.status).toBe(404);
        }
      }
    });
  });
});
