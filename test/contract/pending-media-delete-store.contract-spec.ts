import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { PendingMediaDelete, PendingMediaDeleteStore } from '../../src/storage/media-deletes/pending-media-delete.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

describe.each(METADATA_BACKENDS)('PendingMediaDeleteStore on %s', (backend) => {
  let moduleRef: TestingModule;
  let store: PendingMediaDeleteStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(PendingMediaDeleteStore);
  });
  afterAll(() => moduleRef.close());

  const entry = (ccid: string, nextAttemptAt: string, fields: Partial<PendingMediaDelete> = {}): PendingMediaDelete => ({
    id: randomUUID(),
    ccid,
    recordingId: 'REC1',
    target: { kind: 'voice', path: 'http://dav/voice/a.mp3' },
    attempts: 1,
    nextAttemptAt,
    createdAt: '2026-12-01T00:00:00.000Z',
    lastError: 'connect ECONNREFUSED',
    ...fields,
  });

  it('keeps entries until removed, lists those due (earliest first) and replaces one by id', async () => {
    const ccid = randomUUID();
    const later = entry(ccid, '2999-01-01T00:00:00.000Z', { target: { kind: 'storage', key: `cc/${ccid}/screen/x/y.bin` } });
    const second = entry(ccid, '2000-01-02T00:00:00.000Z');
    const first = entry(ccid, '2000-01-01T00:00:00.000Z');
    for (const e of [later, second, first]) await store.put(e);
    expect((await store.list(ccid)).sort((a, b) => a.id.localeCompare(b.id))).toEqual([later, second, first].sort((a, b) => a.id.localeCompare(b.id)));
    const due = (await store.due('2026-12-06T00:00:00.000Z', 10_000)).filter((e) => e.ccid === ccid);
    expect(due).toEqual([first, second]);

    await store.put({ ...first, attempts: 2, nextAttemptAt: '2999-06-01T00:00:00.000Z' });
    expect((await store.due('2026-12-06T00:00:00.000Z', 10_000)).filter((e) => e.ccid === ccid)).toEqual([second]);
    await store.remove(second.id);
    await store.remove(first.id);
    expect(await store.list(ccid)).toEqual([later]);
    await store.remove(later.id);
    expect(await store.list(ccid)).toEqual([]);
  });
});
