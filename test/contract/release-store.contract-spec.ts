import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { Release } from '../../src/releases/release';
import { ReleaseStore } from '../../src/releases/release.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

describe.each(METADATA_BACKENDS)('ReleaseStore on %s', (backend) => {
  let moduleRef: TestingModule;
  let store: ReleaseStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(ReleaseStore);
  });
  afterAll(() => moduleRef.close());

  it('keeps releases immutable per platform and version', async () => {
    const platform = `win-${randomUUID().slice(0, 8)}`;
    const release: Release = {
      version: '1.2.3',
      platform,
      channel: 'stable',
      size: 5_000_000_000,
      sha256: 'b'.repeat(64),
      signature: 'c2ln',
      rolloutPercent: 40,
      storageKey: `releases/${platform}/1.2.3/setup.exe`,
      fileName: 'setup.exe',
      publishedAt: '2026-11-21T10:00:00.000Z',
      publishedBy: 'ops',
    };
    expect(await store.create(release)).toBe(true);
    expect(await store.create({ ...release, sha256: 'd'.repeat(64) })).toBe(false);
    expect(await store.get(platform, '1.2.3')).toEqual(release);
    await store.create({ ...release, version: '1.3.0', signature: undefined });
    expect((await store.listByPlatform(platform)).map((r) => r.version).sort()).toEqual(['1.2.3', '1.3.0']);
    expect(await store.listByPlatform(`${platform}-none`)).toEqual([]);
    expect((await store.get(platform, '1.3.0'))!.signature).toBeUndefined();
  });
});
