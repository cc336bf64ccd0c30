import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ConfigModule } from '../../src/config/config.module';
import { HealthModule } from '../../src/health/health.module';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { buildManifest, manifestBody } from '../../src/storage/segmented/segment-manifest';
import { StorageObjectNotFoundException, StorageRangeNotSatisfiableException } from '../../src/storage/storage.exception';
import { StorageModule } from '../../src/storage/storage.module';
import { STORAGE_BACKENDS, testConfig } from '../support/test-config';

/** The storage every module gets reads a segmented object (an upload's manifest) as one object, on every adapter. */
describe.each(STORAGE_BACKENDS)('segmented objects on %s storage', (backend) => {
  let moduleRef: TestingModule;
  let storage: RecordingStorage;
  const prefix = `contract-segments/${randomUUID()}`;
  const parts = [randomBytes(70_000), randomBytes(1), randomBytes(33_333), randomBytes(4096)];
  const whole = Buffer.concat(parts);
  const manifestKey = `${prefix}/media.segments.bin`;

  beforeAll(async () => {
    const config = testConfig({ storage: backend });
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forConfig(config), HealthModule, StorageModule.forConfig(config)] }).compile();
    await moduleRef.init();
    storage = moduleRef.get(RecordingStorage);
    const segments = [];
    for (const [i, bytes] of parts.entries()) {
      const stored = await storage.write(`${prefix}/${i}.seg`, Readable.from([bytes]));
      segments.push({ key: stored.key, size: stored.size });
    }
    const { body, length } = manifestBody(buildManifest(segments));
    await storage.write(manifestKey, body, { contentLength: length });
  });
  afterAll(() => moduleRef.close());

  it('reads the whole object, and any range across segment boundaries, byte for byte', async () => {
    const full = await storage.read(manifestKey);
    expect(full.size).toBe(whole.length);
    expect((await buffer(full.stream)).equals(whole)).toBe(true);
    const ranges = [
      [0, 0],
      [69_999, 70_001],
      [70_000, 70_000],
      [69_000, 104_000],
      [whole.length - 10, whole.length + 500],
      [12_345, whole.length - 1],
    ];
    for (const [start, end] of ranges) {
      const read = await storage.read(manifestKey, { start, end });
      const expected = whole.subarray(start, Math.min(end, whole.length - 1) + 1);
      expect(read.range).toEqual({ start, end: Math.min(end, whole.length - 1) });
      expect((await buffer(read.stream)).equals(expected)).toBe(true);
    }
    await expect(storage.read(manifestKey, { start: whole.length, end: whole.length + 1 })).rejects.toBeInstanceOf(StorageRangeNotSatisfiableException);
  });

  it('serves ranges to a sink (openRead) and tells the whole size (stat)', async () => {
    const sinkRead = async (start: number, end: number) => {
      const read = await storage.openRead(manifestKey, { start, end });
      const got: Buffer[] = [];
      await new Promise<void>((resolve, reject) => read.start({ write: (b) => got.push(Buffer.from(b)) > 0, end: resolve, error: reject }));
      return Buffer.concat(got);
    };
    expect((await sinkRead(69_990, 70_010)).equals(whole.subarray(69_990, 70_011))).toBe(true);
    // Ranges inside one segment (read from that segment alone), the last one clipped at the object's end.
    expect((await sinkRead(100, 60_000)).equals(whole.subarray(100, 60_001))).toBe(true);
    expect((await sinkRead(70_001, 103_333)).equals(whole.subarray(70_001, 103_334))).toBe(true);
    expect((await sinkRead(whole.length - 5, whole.length + 100)).equals(whole.subarray(whole.length - 5))).toBe(true);
    expect((await storage.stat(manifestKey))?.size).toBe(whole.length);
  });

  it('deletes every segment with the manifest', async () => {
    expect(await storage.delete(manifestKey)).toBe(true);
    for (let i = 0; i < parts.length; i++) expect(await storage.stat(`${prefix}/${i}.seg`)).toBeUndefined();
    expect(await storage.stat(manifestKey)).toBeUndefined();
    await expect(storage.read(manifestKey)).rejects.toBeInstanceOf(StorageObjectNotFoundException);
    expect(await storage.delete(manifestKey)).toBe(false);
  });
});
