import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { ScreenRecording, ScreenRecordingQuery } from '../../src/screen-recordings/screen-recording';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

function recording(ccid: string, overrides: Partial<ScreenRecording> = {}): ScreenRecording {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    ccid,
    region: 'region1',
    userName: 'agent1',
    callUuid: 'CALL' + randomUUID().replace(/-/g, '').slice(0, 28).toUpperCase(),
    connId: '006c02462a161006',
    startTime: '2026-11-20T10:00:00.000Z',
    stopTime: '2026-11-20T10:05:00.000Z',
    state: 'recording',
    mediaFiles: [],
    nonDelete: false,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function media(mediaId: string): ScreenRecording['mediaFiles'][number] {
  return { mediaId, type: 'video/mp4', size: 10, startTime: '2026-11-20T10:00:00.000Z', stopTime: '2026-11-20T10:05:00.000Z', sha256: 'a'.repeat(64), storageKey: 'k', storagePath: 'p' };
}

describe.each(METADATA_BACKENDS)('ScreenRecordingStore on %s', (backend) => {
  let moduleRef: TestingModule;
  let store: ScreenRecordingStore;
  let ccid: string;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(ScreenRecordingStore);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => (ccid = randomUUID()));

  it('creates once, reads back, and refuses a duplicate id', async () => {
    const r = recording(ccid);
    expect(await store.create(r)).toBe(true);
    expect(await store.create({ ...r, userName: 'other' })).toBe(false);
    expect(await store.get(ccid, r.id)).toEqual(r);
    expect(await store.get(randomUUID(), r.id)).toBeUndefined();
  });

  it('two nodes creating the same screen recording (same derived id) at once store it exactly once, listed once', async () => {
    const r = recording(ccid, { callUuid: 'CALLSAME' + randomUUID().slice(0, 8) });
    const outcomes = await Promise.all([store.create(r), store.create({ ...r }), store.create({ ...r })]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await store.get(ccid, r.id)).toEqual(r);
    expect((await store.listByCall(ccid, r.callUuid)).map((x) => x.id)).toEqual([r.id]);
    expect(await store.create({ ...r, state: 'stopped' })).toBe(false);
    expect((await store.get(ccid, r.id))?.state).toBe('recording');
  });

  it('modifies the document in place, or leaves it when the change declines', async () => {
    const r = recording(ccid);
    await store.create(r);
    const stored = { ...r, state: 'stored' as const, mediaFiles: [media('m1.mp4')] };
    expect(await store.modify(ccid, r.id, () => stored)).toEqual(stored);
    expect(await store.get(ccid, r.id)).toEqual(stored);
    expect(await store.modify(ccid, r.id, () => undefined)).toBeUndefined();
    expect(await store.get(ccid, r.id)).toEqual(stored);
    expect(await store.modify(ccid, randomUUID(), () => stored)).toBeUndefined();
  });

  it('loses no change when writers modify one document at the same time', async () => {
    const r = recording(ccid);
    await store.create(r);
    const names = Array.from({ length: 12 }, (_, i) => `m${i}.mp4`);
    await Promise.all(names.map((name) => store.modify(ccid, r.id, (current) => ({ ...current, mediaFiles: [...current.mediaFiles, media(name)] }))));
    const after = await store.get(ccid, r.id);
    expect(after?.mediaFiles.map((m) => m.mediaId).sort()).toEqual([...names].sort());
  });

  it('lists a call’s recordings oldest first', async () => {
    const callUuid = 'CALLX' + randomUUID().slice(0, 8);
    const later = recording(ccid, { callUuid, startTime: '2026-11-20T11:00:00.000Z' });
    const earlier = recording(ccid, { callUuid, startTime: '2026-11-20T10:00:00.000Z' });
    await store.create(later);
    await store.create(earlier);
    await store.create(recording(ccid));
    expect((await store.listByCall(ccid, callUuid)).map((r) => r.id)).toEqual([earlier.id, later.id]);
  });

  it('lists the recordings of many calls at once, each call’s oldest first', async () => {
    const calls = Array.from({ length: 130 }, (_, i) => `CALLM${i}-${randomUUID().slice(0, 8)}`);
    const first = [recording(ccid, { callUuid: calls[0], startTime: '2026-11-20T11:00:00.000Z' }), recording(ccid, { callUuid: calls[0], startTime: '2026-11-20T10:00:00.000Z' })];
    const last = recording(ccid, { callUuid: calls[129] });
    for (const r of [...first, last, recording(ccid)]) await store.create(r);
    const listed = await store.listByCalls(ccid, [...calls, calls[0]]);
    expect(listed.filter((r) => r.callUuid === calls[0]).map((r) => r.id)).toEqual([first[1].id, first[0].id]);
    expect(listed.filter((r) => r.callUuid === calls[129]).map((r) => r.id)).toEqual([last.id]);
    expect(listed).toHaveLength(3);
    expect(await store.listByCalls(randomUUID(), calls)).toEqual([]);
  });

  it('searches by user and time window, newest first, within region', async () => {
    const a = recording(ccid, { userName: 'alice', startTime: '2026-11-18T09:00:00.000Z', stopTime: '2026-11-18T09:10:00.000Z' });
    const b = recording(ccid, { userName: 'alice', startTime: '2026-11-19T23:55:00.000Z', stopTime: '2026-11-20T00:10:00.000Z' });
    const c = recording(ccid, { userName: 'bob', startTime: '2026-11-19T12:00:00.000Z', stopTime: '2026-11-19T12:10:00.000Z' });
    const d = recording(ccid, { userName: 'alice', region: 'elsewhere', startTime: '2026-11-19T12:00:00.000Z' });
    for (const r of [a, b, c, d]) await store.create(r);
    const base = { ccid, region: 'region1', limit: 100, scope: { kind: 'contactCenter', region: 'region1', ccid } as const };
    const ids = async (query: Omit<ScreenRecordingQuery, 'ccid' | 'region' | 'scope' | 'limit'> & { limit?: number }) => (await store.search({ ...base, ...query })).recordings.map((r) => r.id);
    expect(await ids({ userName: 'alice', endTime: '2026-11-21T00:00:00.000Z' })).toEqual([b.id, a.id]);
    // b started the day before the window but overlaps it.
    expect(await ids({ startTime: '2026-11-20T00:00:00.000Z', endTime: '2026-11-20T23:00:00.000Z' })).toEqual([b.id]);
    expect(await ids({ startTime: '2026-11-19T00:00:00.000Z', endTime: '2026-11-19T23:59:59.000Z', limit: 1 })).toEqual([b.id]);
    expect(await ids({ callUuid: c.callUuid })).toEqual([c.id]);
  });

  it('pages with the caller’s access applied while walking: full pages of visible recordings, a position to resume from, nothing skipped', async () => {
    const user = `pager-${randomUUID().slice(0, 6)}`;
    // 30 recordings over 3 days; only every third one is visible to an agent (its own).
    const all = Array.from({ length: 30 }, (_, i) =>
      recording(ccid, { userName: user, agentId: i % 3 === 0 ? 'a-own' : `a-other${i}`, startTime: new Date(Date.UTC(2026, 10, 17, 8) + i * 2 * 3_600_000).toISOString() }),
    );
    for (const r of all) await store.create(r);
    const visible = all.filter((_, i) => i % 3 === 0).sort((x, y) => y.startTime.localeCompare(x.startTime));
    const scope: ScreenRecordingQuery['scope'] = { kind: 'restricted', region: 'region1', ccid, agentIds: ['a-own'], hierarchyPrefixes: [], partitions: [] };
    const seen: string[] = [];
    let after: ScreenRecordingQuery['after'];
    for (let round = 0; round < 10; round++) {
      const page = await store.search({ ccid, region: 'region1', userName: user, endTime: '2026-11-21T00:00:00.000Z', scope, after, limit: 3 });
      seen.push(...page.recordings.map((r) => r.id));
      if (!page.resumeAfter) break;
      expect(page.recordings).toHaveLength(3);
      after = page.resumeAfter;
    }
    expect(seen).toEqual(visible.map((r) => r.id));
  });

  it('deletes the document and its lookups', async () => {
    const r = recording(ccid);
    await store.create(r);
    await store.delete(ccid, r.id);
    expect(await store.get(ccid, r.id)).toBeUndefined();
    expect(await store.listByCall(ccid, r.callUuid)).toEqual([]);
    expect(await store.search({ ccid, region: 'region1', userName: r.userName, endTime: '2026-11-21T00:00:00.000Z', limit: 10, scope: { kind: 'all', region: 'region1' } })).toEqual({ recordings: [] });
  });
});
