import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { MediaClaimStore } from '../../src/recordings/media-claim.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

describe.each(METADATA_BACKENDS)('MediaClaimStore on %s', (backend) => {
  let moduleRef: TestingModule;
  let claims: MediaClaimStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    claims = moduleRef.get(MediaClaimStore);
  });
  afterAll(() => moduleRef.close());

  it('gives a location to its first claimant, moves it only from its holder, releases it only for its holder', async () => {
    const location = `http://dav/voice/${randomUUID()}.mp3`;
    const a = { ccid: randomUUID(), recordingId: 'REC-A' };
    const b = { ccid: randomUUID(), recordingId: 'REC-B' };
    expect(await claims.ownerOf(location)).toBeUndefined();
    expect(await claims.claim(location, a)).toEqual(a);
    expect(await claims.claim(location, b)).toEqual(a);
    expect(await claims.claim(location, a)).toEqual(a);
    expect(await claims.replace(location, b, b)).toBe(false);
    expect(await claims.replace(location, a, b)).toBe(true);
    expect(await claims.ownerOf(location)).toEqual(b);
    await claims.release(location, a);
    expect(await claims.ownerOf(location)).toEqual(b);
    await claims.release(location, b);
    expect(await claims.ownerOf(location)).toBeUndefined();
    expect(await claims.claim(location, a)).toEqual(a);
  });

  it('lets exactly one of many concurrent claimants win', async () => {
    const location = `http://dav/voice/${randomUUID()}.mp3`;
    const owners = Array.from({ length: 8 }, (_, i) => ({ ccid: randomUUID(), recordingId: `R${i}` }));
    const results = await Promise.all(owners.map((o) => claims.claim(location, o)));
    expect(new Set(results.map((r) => r.recordingId)).size).toBe(1);
    expect(await claims.ownerOf(location)).toEqual(results[0]);
  });
});
