import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { compileNumberPattern } from '../../src/recordings/number-pattern';
import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import type { RecordingSearch } from '../../src/recordings/recording-query';
import { RecordingLabelDefinitionStore, RecordingStore } from '../../src/recordings/recording.store';
import { openPersistence } from '../support/persistence-harness';
import { recordingDocument } from '../support/recording-fixtures';
import { METADATA_BACKENDS } from '../support/test-config';

jest.setTimeout(60_000);

describe.each(METADATA_BACKENDS)('RecordingStore contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let store: RecordingStore;
  let ccid: string;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(RecordingStore);
  }, 120_000);
  afterAll(() => moduleRef?.close());
  beforeEach(() => {
    ccid = randomUUID();
  });

  const post = (overrides: Record<string, unknown>) => {
    const times = overrides.startTime ? { stopTime: overrides.startTime } : {};
    const insert = parseInsertDocument(recordingDocument({ mediaFiles: [{ mediaId: 'x.mp3' }], ...times, ...overrides }), ccid);
    return store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert));
  };
  const search = (overrides: Partial<RecordingSearch>): RecordingSearch => ({ ccid, region: 'region1', filters: {}, scope: { kind: 'all' }, limit: 100, maxScan: 10_000, ...overrides });

  it('stores, reads back and deletes a document', async () => {
    const stored = await post({ id: 'A1', extra: 1 });
    expect(await store.get(ccid, 'A1')).toEqual(stored);
    expect(await store.get(randomUUID(), 'A1')).toBeUndefined();
    expect(await store.delete(ccid, 'A1', () => undefined)).toEqual(stored);
    expect(await store.get(ccid, 'A1')).toBeUndefined();
    expect(await store.delete(ccid, 'A1', () => undefined)).toBeUndefined();
  });

  it('leaves the recording when the change or the delete guard refuses', async () => {
    const stored = await post({ id: 'A2' });
    await expect(store.upsert(ccid, 'A2', () => { throw new Error('refused'); })).rejects.toThrow('refused');
    await expect(store.delete(ccid, 'A2', () => { throw new Error('held'); })).rejects.toThrow('held');
    expect(await store.get(ccid, 'A2')).toEqual(stored);
  });

  it('loses no media file when many posts of one recording race', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => post({ id: 'RACE', mediaFiles: [{ mediaId: `m${i}.mp3`, parameters: { agentId: `racer${i}` } }] })));
    const merged = await store.get(ccid, 'RACE');
    expect(merged!.mediaFiles.map((m) => m.mediaId).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}.mp3`).sort());
    const day = { fromMs: Date.parse('2014-12-16T00:00:00Z'), toMs: Date.parse('2014-12-16T23:59:59Z') };
    for (let i = 0; i < 12; i++) {
      expect((await store.search(search({ filters: { agentId: `racer${i}` } }))).recordings.map((r) => r.id)).toEqual(['RACE']);
      // Through the day's entries, filtered on their facts: no racer's late write left older facts there.
      const onlyRacer = { kind: 'restricted' as const, agentIds: [`racer${i}`], hierarchyPrefixes: [], partitions: [] };
      expect((await store.search(search({ filters: day, scope: onlyRacer }))).recordings.map((r) => r.id)).toEqual(['RACE']);
    }
  });

  it('moves lookup entries when a merge widens the start or changes indexed values', async () => {
    await post({ id: 'MOVE', startTime: '2020-05-02T10:00:00Z', stopTime: '2020-05-02T10:10:00Z', mediaFiles: [{ mediaId: 'a.mp3', parameters: { agentId: 'mover' } }] });
    await post({ id: 'MOVE', startTime: '2020-05-01T23:50:00Z', stopTime: '2020-05-02T00:00:00Z', mediaFiles: [{ mediaId: 'a.mp3', parameters: { agentId: 'mover2' } }] });
    const window = (from: string, to: string) => ({ fromMs: Date.parse(from), toMs: Date.parse(to) });
    expect((await store.search(search({ filters: { agentId: 'mover2' } }))).recordings.map((r) => r.id)).toEqual(['MOVE']);
    expect((await store.search(search({ filters: { agentId: 'mover' } }))).recordings).toEqual([]);
    // Found from a window on the first day only, though it started the day before and ran into the next.
    expect((await store.search(search({ filters: window('2020-05-01T23:55:00Z', '2020-05-01T23:59:00Z') }))).recordings.map((r) => r.id)).toEqual(['MOVE']);
    expect((await store.search(search({ filters: window('2020-05-02T10:05:00Z', '2020-05-03T00:00:00Z') }))).recordings.map((r) => r.id)).toEqual(['MOVE']);
    expect((await store.search(search({ filters: window('2020-05-02T10:11:00Z', '2020-05-03T00:00:00Z') }))).recordings).toEqual([]);
  });

  it('orders by start desc then id desc and resumes after a position', async () => {
    for (const [id, start] of [['B', '2021-01-01T10:00:00Z'], ['C', '2021-01-01T10:00:00Z'], ['A', '2021-01-01T11:00:00Z'], ['D', '2021-01-01T09:00:00Z']]) {
      await post({ id, startTime: start, stopTime: start, callerPhoneNumber: '+1 555 0100' });
    }
    const filters = { caller: compileNumberPattern('*0100')! };
    const first = await store.search(search({ filters, limit: 2 }));
    expect(first.recordings.map((r) => r.id)).toEqual(['A', 'C']);
    const second = await store.search(search({ filters, limit: 2, after: first.resumeAfter }));
    expect(second.recordings.map((r) => r.id)).toEqual(['B', 'D']);
    expect(second.resumeAfter).toBeUndefined();
  });

  it('returns a partial page with a position when the scan bound is reached, never dropping rows', async () => {
    for (let i = 0; i < 6; i++) await post({ id: `S${i}`, startTime: `2022-02-0${i + 1}T00:00:00Z`, stopTime: `2022-02-0${i + 1}T00:01:00Z`, callType: i % 3 === 0 ? 'Rare' : 'Common' });
    const found: string[] = [];
    let after;
    for (let guard = 0; guard < 20; guard++) {
      const page = await store.search(search({ filters: { fromMs: Date.parse('2022-01-01T00:00:00Z'), callType: 'Rare' }, limit: 5, maxScan: 2, after }));
      found.push(...page.recordings.map((r) => r.id));
      after = page.resumeAfter;
      if (!after) break;
    }
    expect(found).toEqual(['S3', 'S0']);
  });

  it('finds a recording without any time by its filters, never by a time window', async () => {
    const insert = parseInsertDocument(recordingDocument({ id: 'UNTIMED', mediaFiles: [{ mediaId: 'u.mp3', parameters: { agentId: 'timeless' } }], eventHistory: [] }), ccid);
    delete insert.startTime;
    delete insert.stopTime;
    await store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert));
    expect((await store.search(search({ filters: { agentId: 'timeless' } }))).recordings.map((r) => r.id)).toEqual(['UNTIMED']);
    expect((await store.search(search({ filters: { callType: 'Inbound' } }))).recordings.map((r) => r.id)).toEqual(['UNTIMED']);
    expect((await store.search(search({ filters: { agentId: 'timeless', fromMs: 0 } }))).recordings).toEqual([]);
  });

  it('keeps label definitions per contact center', async () => {
    const labels = moduleRef.get(RecordingLabelDefinitionStore);
    const def = { name: 'vip', displayName: 'VIP', createdAt: new Date().toISOString() };
    expect(await labels.create(ccid, def)).toBe(true);
    expect(await labels.create(ccid, { ...def, displayName: 'other' })).toBe(false);
    expect(await labels.get(ccid, 'vip')).toEqual(def);
    expect(await labels.get(randomUUID(), 'vip')).toBeUndefined();
    await labels.create(ccid, { name: 'alpha', createdAt: def.createdAt });
    expect((await labels.list(ccid)).map((d) => d.name)).toEqual(['alpha', 'vip']);
  });
});
