import { randomBytes, randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { UploadRecord, UploadStore } from '../../src/screen-recordings/uploads/upload.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

function upload(): UploadRecord {
  return {
    id: randomBytes(16).toString('base64url'),
    ccid: randomUUID(),
    owner: 'cc/alice',
    length: 1000,
    metadata: { recordingId: randomUUID(), sha256: 'a'.repeat(64) },
    createdAt: new Date().toISOString(),
    offset: 0,
    version: 1,
    updatedAt: Date.now(),
    segments: [],
    cipher: { chain: randomBytes(16).toString('base64'), chunkIndex: 0, sealed: 'sealed-state', pkcs7: 'pem' },
  };
}

describe.each(METADATA_BACKENDS)('UploadStore on %s', (backend) => {
  let moduleRef: TestingModule;
  let uploads: UploadStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    uploads = moduleRef.get(UploadStore);
  });
  afterAll(() => moduleRef.close());

  it('creates an upload once and reads it back whole', async () => {
    const record = upload();
    expect(await uploads.create(record)).toBe(true);
    expect(await uploads.create({ ...record, length: 5 })).toBe(false);
    expect(await uploads.get(record.id)).toEqual(record);
    expect(await uploads.get('no-such-upload')).toBeUndefined();
  });

  it('advances only from the version it was read at', async () => {
    const record = upload();
    await uploads.create(record);
    const next = { ...record, offset: 300, version: 2, updatedAt: record.updatedAt + 1, segments: [{ key: 'k/0.seg', size: 256, tags: 'AAAA' }] };
    expect(await uploads.replace(next, 1)).toBe(true);
    expect(await uploads.replace({ ...next, offset: 999, version: 3 }, 1)).toBe(false);
    expect(await uploads.get(record.id)).toEqual(next);
    expect(await uploads.remove(record.id, 1)).toBe(false);
    expect(await uploads.remove(record.id, 2)).toBe(true);
    expect(await uploads.get(record.id)).toBeUndefined();
    expect(await uploads.replace({ ...next, version: 3 }, 2)).toBe(false);
  });

  it('lets exactly one of many nodes append at the same offset', async () => {
    const record = upload();
    await uploads.create(record);
    const attempts = Array.from({ length: 6 }, (_, i) => ({ ...record, offset: 100 + i, version: 2 }));
    const results = await Promise.all(attempts.map((a) => uploads.replace(a, 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = attempts[results.indexOf(true)];
    expect((await uploads.get(record.id))?.offset).toBe(winner.offset);
  });

  it('lists every upload with its version and last activity (for the expiry sweep)', async () => {
    const record = upload();
    await uploads.create(record);
    const listed = (await uploads.activity()).find((a) => a.id === record.id);
    expect(listed).toEqual({ id: record.id, version: 1, updatedAt: record.updatedAt });
  });
});
