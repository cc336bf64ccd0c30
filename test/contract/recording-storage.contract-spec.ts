import { TestingModule, Test } from '@nestjs/testing';
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { HealthModule } from '../../src/health/health.module';
import { HealthRegistry } from '../../src/health/health-registry';
import type { ByteRead } from '../../src/storage/byte-read';
import { RecordingStorage } from '../../src/storage/recording-storage';
import {
  StorageInvalidKeyException,
  StorageLengthMismatchException,
  StorageObjectExistsException,
  StorageObjectNotFoundException,
  StorageRangeNotSatisfiableException,
} from '../../src/storage/storage.exception';
import { StorageModule } from '../../src/storage/storage.module';
import { STORAGE_BACKENDS, testConfig } from '../support/test-config';

/** The RecordingStorage contract, run against every adapter (filesystem, and the real Apache WebDAV). */
describe.each(STORAGE_BACKENDS)('RecordingStorage contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let storage: RecordingStorage;
  let config: AppConfig;
  let prefix: string;
  const payload = randomBytes(3 * 1024 * 1024 + 17);

  beforeAll(async () => {
    config = testConfig({ storage: backend });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forConfig(config), HealthModule, StorageModule.forConfig(config)],
    }).compile();
    await moduleRef.init();
    storage = moduleRef.get(RecordingStorage);
    // A fresh prefix per run: the WebDAV server outlives one suite.
    prefix = `contract/${randomUUID()}`;
  });

  afterAll(async () => {
    await moduleRef.close();
  });

  const key = (name: string) => `${prefix}/${name}`;

  it('stores writes that create the same new parents at the same time (no false refusal from a racing MKCOL)', async () => {
    for (let round = 0; round < 10; round++) {
      const folder = `race-${round}-${randomUUID()}/calls`;
      const written = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => storage.write(key(`${folder}/m${i}.bin`), chunked(Buffer.from(`m${i}`)))));
      expect(written.filter((w) => w.status === 'rejected')).toEqual([]);
    }
  });

  it.each([
    ['with its length', true],
    ['chunked, length unknown', false],
  ])('stores a streamed body and reads back the same bytes (%s)', async (_label, withLength) => {
    const k = key(`roundtrip-${withLength}.bin`);
    const stored = await storage.write(k, chunked(payload), withLength ? { contentLength: payload.length } : {});
    expect(stored).toMatchObject({ key: k, size: payload.length });
    const read = await storage.read(k);
    expect(read.size).toBe(payload.length);
    expect(read.range).toBeUndefined();
    expect(sha256(await collect(read.stream))).toBe(sha256(payload));
  });

  it('refuses to overwrite an existing key and keeps the original intact', async () => {
    const k = key('no-overwrite.bin');
    await storage.write(k, chunked(payload), { contentLength: payload.length });
    const other = randomBytes(1000);
    await expect(storage.write(k, chunked(other), { contentLength: other.length })).rejects.toBeInstanceOf(StorageObjectExistsException);
    await expect(storage.write(k, chunked(other))).rejects.toBeInstanceOf(StorageObjectExistsException);
    const read = await storage.read(k);
    expect(sha256(await collect(read.stream))).toBe(sha256(payload));
  });

  it('reads byte ranges: first, middle and last byte, clamped ends, and 50 random ranges', async () => {
    const k = key('ranges.bin');
    await storage.write(k, chunked(payload), { contentLength: payload.length });
    const last = payload.length - 1;
    const middle = Math.floor(payload.length / 2);
    const ranges = [
      { start: 0, end: 0 },
      { start: middle, end: middle },
      { start: last, end: last },
      { start: 0, end: last },
      ...Array.from({ length: 50 }, () => {
        const start = randomInt(0, payload.length);
        return { start, end: Math.min(last, start + randomInt(0, 300_000)) };
      }),
    ];
    for (const range of ranges) {
      const read = await storage.read(k, range);
      expect(read.size).toBe(payload.length);
      expect(read.range).toEqual(range);
      const bytes = await collect(read.stream);
      expect(bytes.equals(payload.subarray(range.start, range.end + 1))).toBe(true);
    }
    const clamped = await storage.read(k, { start: last - 9, end: last + 1000 });
    expect(clamped.range).toEqual({ start: last - 9, end: last });
    expect((await collect(clamped.stream)).equals(payload.subarray(last - 9))).toBe(true);
  });

  it('refuses a range that starts past the end, telling the size', async () => {
    const k = key('range-past-end.bin');
    await storage.write(k, chunked(payload.subarray(0, 100)), { contentLength: 100 });
    const refusal = storage.read(k, { start: 100, end: 200 });
    await expect(refusal).rejects.toBeInstanceOf(StorageRangeNotSatisfiableException);
    await expect(refusal).rejects.toMatchObject({ size: 100 });
  });

  it('reports a missing key as not found', async () => {
    const k = key('missing.bin');
    await expect(storage.read(k)).rejects.toBeInstanceOf(StorageObjectNotFoundException);
    await expect(storage.read(k, { start: 0, end: 10 })).rejects.toBeInstanceOf(StorageObjectNotFoundException);
    await expect(storage.stat(k)).resolves.toBeUndefined();
    await expect(storage.delete(k)).resolves.toBe(false);
  });

  it('opens ranges into a sink (as playback reads them): exact bytes, pausing on demand, the same errors as read', async () => {
    const k = key('sink-ranges.bin');
    await storage.write(k, chunked(payload), { contentLength: payload.length });
    const last = payload.length - 1;
    const ranges = [{ start: 0, end: last }, { start: last, end: last }, { start: last - 9, end: last + 1000 }, ...Array.from({ length: 20 }, () => {
      const start = randomInt(0, payload.length);
      return { start, end: Math.min(last, start + randomInt(0, 700_000)) };
    })];
    for (const [i, range] of ranges.entries()) {
      const read = await storage.openRead(k, range);
      const bytes = await drainSink(read, i % 2 === 0 ? 100_000 : Infinity);
      expect(bytes.equals(payload.subarray(range.start, Math.min(range.end, last) + 1))).toBe(true);
    }
    await expect(storage.openRead(key('missing-sink.bin'), { start: 0, end: 10 })).rejects.toBeInstanceOf(StorageObjectNotFoundException);
    await expect(storage.openRead(k, { start: payload.length, end: payload.length + 10 })).rejects.toBeInstanceOf(StorageRangeNotSatisfiableException);
    // A read given up midway leaves the storage usable.
    const abandoned = await storage.openRead(k, { start: 0, end: last });
    abandoned.start({ write: () => (abandoned.cancel(), false), end: () => undefined, error: () => undefined });
    expect((await drainSink(await storage.openRead(k, { start: 5, end: 14 }))).equals(payload.subarray(5, 15))).toBe(true);
  });

  it('stats a stored object', async () => {
    const k = key('stat.bin');
    const before = Date.now();
    await storage.write(k, chunked(payload.subarray(0, 12345)));
    const info = await storage.stat(k);
    expect(info).toMatchObject({ key: k, size: 12345 });
    // Second resolution of HTTP dates, and clocks of one machine.
    expect(info!.lastModified!.getTime()).toBeGreaterThanOrEqual(before - 2000);
  });

  it('deletes an object, after which it is gone and its key free again', async () => {
    const k = key('delete.bin');
    await storage.write(k, chunked(payload.subarray(0, 5000)));
    await expect(storage.delete(k)).resolves.toBe(true);
    await expect(storage.stat(k)).resolves.toBeUndefined();
    await expect(storage.read(k)).rejects.toBeInstanceOf(StorageObjectNotFoundException);
    await expect(storage.delete(k)).resolves.toBe(false);
    await expect(storage.write(k, chunked(payload.subarray(0, 10)))).resolves.toMatchObject({ size: 10 });
  });

  it.each(['../escaped.bin', `${'x/'}../../escaped.bin`, '/etc/passwd', 'a//b', 'a/./b', 'a\\..\\b', '', 'a/.hidden', 'a/%2e%2e/b'])(
    'refuses the key %j in every operation',
    async (bad) => {
      await expect(storage.write(bad, chunked(Buffer.from('x')))).rejects.toBeInstanceOf(StorageInvalidKeyException);
      await expect(storage.read(bad)).rejects.toBeInstanceOf(StorageInvalidKeyException);
      await expect(storage.stat(bad)).rejects.toBeInstanceOf(StorageInvalidKeyException);
      await expect(storage.delete(bad)).rejects.toBeInstanceOf(StorageInvalidKeyException);
      if (backend === 'filesystem') {
        expect(existsSync(join(config.dataDir, 'escaped.bin'))).toBe(false);
        expect(existsSync(join(config.dataDir, 'storage', 'escaped.bin'))).toBe(false);
      }
    },
  );

  it('lists the objects directly in a folder: not nested ones, not the folder itself; a missing folder lists nothing', async () => {
    const folder = key(`listed-${randomUUID()}`);
    for (const name of ['b.seg', 'a.seg', 'a-b_c.1.bin']) await storage.write(`${folder}/${name}`, chunked(Buffer.from(name)));
    await storage.write(`${folder}/inner/deep.seg`, chunked(Buffer.from('deep')));
    expect(await storage.list(folder)).toEqual([`${folder}/a-b_c.1.bin`, `${folder}/a.seg`, `${folder}/b.seg`]);
    expect(await storage.list(`${folder}/inner`)).toEqual([`${folder}/inner/deep.seg`]);
    expect(await storage.list(key(`never-${randomUUID()}`))).toEqual([]);
    await storage.delete(`${folder}/a.seg`);
    expect(await storage.list(folder)).toEqual([`${folder}/a-b_c.1.bin`, `${folder}/b.seg`]);
    await expect(storage.list('../outside')).rejects.toBeInstanceOf(StorageInvalidKeyException);
  });

  it('creates the parents of a nested key', async () => {
    const k = key('deep/er/and/deeper/nested.bin');
    await storage.write(k, chunked(payload.subarray(0, 1000)));
    expect((await collect((await storage.read(k)).stream)).equals(payload.subarray(0, 1000))).toBe(true);
    // A sibling in the same new parents.
    await expect(storage.write(key('deep/er/and/deeper/sibling.bin'), chunked(Buffer.from('s')))).resolves.toMatchObject({ size: 1 });
  });

  it.each([
    ['with its length', true],
    ['chunked', false],
  ])('leaves no object behind when the source fails midway (%s)', async (_label, withLength) => {
    const k = key(`broken-source-${withLength}.bin`);
    const broken = new Error('source failed midway');
    const source = Readable.from(
      (async function* () {
        yield payload.subarray(0, 1024 * 1024);
        await new Promise((r) => setTimeout(r, 20));
        yield payload.subarray(1024 * 1024, 2 * 1024 * 1024);
        throw broken;
      })(),
    );
    await expect(storage.write(k, source, withLength ? { contentLength: payload.length } : {})).rejects.toBe(broken);
    await expect(storage.stat(k)).resolves.toBeUndefined();
    await expect(storage.read(k)).rejects.toBeInstanceOf(StorageObjectNotFoundException);
    if (backend === 'filesystem') expect(readdirSync(join(config.dataDir, 'storage', prefix))).not.toContain(expect.stringMatching(/^\.tmp-/));
    // The key is free: nothing half-written blocks a retry.
    await expect(storage.write(k, chunked(payload), { contentLength: payload.length })).resolves.toMatchObject({ size: payload.length });
  });

  it('refuses a body whose length differs from the declared one, storing nothing', async () => {
    const short = key('short.bin');
    const long = key('long.bin');
    await expect(storage.write(short, chunked(payload.subarray(0, 999)), { contentLength: 1000 })).rejects.toBeInstanceOf(StorageLengthMismatchException);
    await expect(storage.write(long, chunked(payload.subarray(0, 1001)), { contentLength: 1000 })).rejects.toBeInstanceOf(StorageLengthMismatchException);
    await expect(storage.stat(short)).resolves.toBeUndefined();
    await expect(storage.stat(long)).resolves.toBeUndefined();
  });

  it.each([
    ['with its length', true],
    ['chunked', false],
  ])('stores a 0-byte object (%s)', async (_label, withLength) => {
    const k = key(`empty-${withLength}.bin`);
    await expect(storage.write(k, Readable.from([]), withLength ? { contentLength: 0 } : {})).resolves.toMatchObject({ key: k, size: 0 });
    await expect(storage.stat(k)).resolves.toMatchObject({ size: 0 });
    const read = await storage.read(k);
    expect(read.size).toBe(0);
    expect((await collect(read.stream)).length).toBe(0);
    await expect(storage.read(k, { start: 0, end: 0 })).rejects.toBeInstanceOf(StorageRangeNotSatisfiableException);
  });

  it('lets a reader give up midway without breaking later operations', async () => {
    const k = key('abandoned-read.bin');
    await storage.write(k, chunked(payload), { contentLength: payload.length });
    for (let i = 0; i < 5; i++) {
      const read = await storage.read(k);
      for await (const chunk of read.stream) {
        expect((chunk as Buffer).length).toBeGreaterThan(0);
        break;
      }
    }
    expect(sha256(await collect((await storage.read(k)).stream))).toBe(sha256(payload));
  });

  it('reports storage as ready', async () => {
    const report = await moduleRef.get(HealthRegistry).report();
    expect(report.dependencies.storage).toMatchObject({ status: 'up' });
  });
});

/** The bytes as a stream of 64 KiB chunks, like a network body. */
function chunked(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
    })(),
  );
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Everything a ByteRead delivers; the sink refuses more after every `pauseEvery` bytes and resumes a moment later. */
function drainSink(read: ByteRead, pauseEvery = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let sinceResume = 0;
    read.start({
      write: (bytes) => {
        parts.push(Buffer.from(bytes));
        sinceResume += bytes.length;
        if (sinceResume < pauseEvery) return true;
        sinceResume = 0;
        setImmediate(() => read.resume());
        return false;
      },
      end: () => resolve(Buffer.concat(parts)),
      error: reject,
    });
  });
}
