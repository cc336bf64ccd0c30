import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { ContactCenter } from '../../src/contact-centers/contact-center';
import { ContactCenterStore } from '../../src/contact-centers/contact-center.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

const VOICE = '/api/api-voice-recording';
const SUPERVISOR = '/api/api-supervisor-recording';

/** A contact center with a fresh id; Cassandra suites share a keyspace, so tests isolate by id. */
function newContactCenter(overrides: Partial<ContactCenter> = {}): ContactCenter {
  const id = randomUUID();
  return { id, name: `cc ${id.slice(0, 8)}`, createdAt: new Date().toISOString(), features: [], ...overrides };
}

describe.each(METADATA_BACKENDS)('ContactCenterStore contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let store: ContactCenterStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(ContactCenterStore);
  }, 120_000);

  afterAll(async () => {
    await moduleRef?.close();
  });

  it('creates a contact center and reads it back as written', async () => {
    const cc = newContactCenter({ name: 'Ünïcode “name” ☎', features: [VOICE] });
    await expect(store.create(cc)).resolves.toBe(true);
    await expect(store.get(cc.id)).resolves.toEqual(cc);
  });

  it('refuses a second create with the same id and keeps the first', async () => {
    const first = newContactCenter({ name: 'first', features: [VOICE] });
    await store.create(first);
    const second = { ...first, name: 'second', features: [SUPERVISOR], createdAt: new Date(Date.now() + 1000).toISOString() };
    await expect(store.create(second)).resolves.toBe(false);
    await expect(store.get(first.id)).resolves.toEqual(first);
  });

  it('lets exactly one of concurrent creates of the same id win', async () => {
    const base = newContactCenter();
    const attempts = Array.from({ length: 5 }, (_, i) => ({ ...base, name: `attempt ${i}` }));
    const results = await Promise.all(attempts.map((a) => store.create(a)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = attempts[results.indexOf(true)];
    await expect(store.get(base.id)).resolves.toEqual(winner);
  });

  it('answers undefined for an unknown id', async () => {
    await expect(store.get(randomUUID())).resolves.toBeUndefined();
  });

  it('lists every contact center ordered by creation time, then id', async () => {
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const sameInstant = [randomUUID(), randomUUID()].sort();
    const created = [
      newContactCenter({ createdAt: at(30) }),
      newContactCenter({ id: sameInstant[1], createdAt: at(10) }),
      newContactCenter({ createdAt: at(20) }),
      newContactCenter({ id: sameInstant[0], createdAt: at(10) }),
    ];
    for (const cc of created) await store.create(cc);

    const listed = await store.list();
    const ours = new Set(created.map((cc) => cc.id));
    expect(listed.filter((cc) => ours.has(cc.id)).map((cc) => cc.id)).toEqual([sameInstant[0], sameInstant[1], created[2].id, created[0].id]);
    expect(listed.find((cc) => cc.id === created[2].id)).toEqual(created[2]);
    const keys = listed.map((cc) => `${cc.createdAt} ${cc.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('adds features as a set union, sorted, and keeps them', async () => {
    const cc = newContactCenter({ features: [VOICE] });
    await store.create(cc);

    const updated = await store.addFeatures(cc.id, [SUPERVISOR, VOICE, SUPERVISOR]);
    expect(updated).toEqual({ ...cc, features: [SUPERVISOR, VOICE] });
    await expect(store.get(cc.id)).resolves.toEqual({ ...cc, features: [SUPERVISOR, VOICE] });

    await expect(store.addFeatures(cc.id, [])).resolves.toEqual({ ...cc, features: [SUPERVISOR, VOICE] });
  });

  it('answers undefined when adding features to an unknown id, and creates nothing', async () => {
    const unknown = randomUUID();
    await expect(store.addFeatures(unknown, [VOICE])).resolves.toBeUndefined();
    await expect(store.get(unknown)).resolves.toBeUndefined();
    expect((await store.list()).some((cc) => cc.id === unknown)).toBe(false);
  });

  it('round-trips settings groups per contact center and group, last write wins', async () => {
    const a = newContactCenter();
    const b = newContactCenter();
    await store.create(a);
    await store.create(b);
    const recordings = { retentionDays: 90, encrypt: true, nested: { list: [1, 'two', null], empty: {} }, text: 'é ☎ "quoted"' };

    await expect(store.getSettings(a.id, 'recordings')).resolves.toBeUndefined();
    await store.putSettings(a.id, 'recordings', recordings);
    await store.putSettings(a.id, 'screen', { fps: 5 });
    await store.putSettings(b.id, 'recordings', { retentionDays: 7 });

    await expect(store.getSettings(a.id, 'recordings')).resolves.toEqual(recordings);
    await expect(store.getSettings(a.id, 'screen')).resolves.toEqual({ fps: 5 });
    await expect(store.getSettings(b.id, 'recordings')).resolves.toEqual({ retentionDays: 7 });
    await expect(store.getSettings(b.id, 'screen')).resolves.toBeUndefined();

    await store.putSettings(a.id, 'recordings', { retentionDays: 30 });
    await expect(store.getSettings(a.id, 'recordings')).resolves.toEqual({ retentionDays: 30 });
  });

  it('hands out copies: changing a returned value does not change what is stored', async () => {
    const cc = newContactCenter({ features: [VOICE] });
    await store.create(cc);
    await store.putSettings(cc.id, 'recordings', { retentionDays: 90 });

    const read = await store.get(cc.id);
    read?.features.push('/api/injected');
    const settings = await store.getSettings(cc.id, 'recordings');
    if (settings) settings.retentionDays = 1;

    await expect(store.get(cc.id)).resolves.toEqual(cc);
    await expect(store.getSettings(cc.id, 'recordings')).resolves.toEqual({ retentionDays: 90 });
  });
});
