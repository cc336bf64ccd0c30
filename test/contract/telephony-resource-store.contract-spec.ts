import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { TelephonyResourceStore } from '../../src/places/telephony-resource.store';
import type { Dn, Place } from '../../src/places/telephony-resources';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

/** A DN number no other run has used (Cassandra suites share a keyspace that outlives runs). */
function freshNumber(): string {
  return `9${randomUUID().replace(/\D/g, '').slice(0, 11)}`;
}

function dnOf(ccid: string, overrides: Partial<Dn> = {}): Dn {
  return { ccid, dn: freshNumber(), switch: 'SIP_Switch', createdAt: new Date().toISOString(), ...overrides };
}

function placeOf(ccid: string, overrides: Partial<Place> = {}): Place {
  const now = new Date().toISOString();
  return { ccid, name: `Place_${randomUUID().slice(0, 8)}`, dns: [], agents: [], createdAt: now, updatedAt: now, ...overrides };
}

describe.each(METADATA_BACKENDS)('TelephonyResourceStore contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let store: TelephonyResourceStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(TelephonyResourceStore);
  }, 120_000);

  afterAll(async () => {
    await moduleRef?.close();
  });

  it('creates a DN, reads it back by number and lists it under its contact center only', async () => {
    const ccid = randomUUID();
    const dn = dnOf(ccid, { switch: 'Switch ☎' });
    await expect(store.createDn(dn)).resolves.toEqual(dn);
    await expect(store.getDn(dn.dn)).resolves.toEqual(dn);
    await expect(store.listDns(ccid)).resolves.toEqual([dn]);
    await expect(store.listDns(randomUUID())).resolves.toEqual([]);
    await expect(store.getDn(freshNumber())).resolves.toBeUndefined();
  });

  it('gives a DN number to one contact center only: a second claim answers the owner and lists nothing', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const first = dnOf(a);
    await store.createDn(first);
    await expect(store.createDn({ ...first, ccid: b, switch: 'Other' })).resolves.toEqual(first);
    await expect(store.listDns(b)).resolves.toEqual([]);
    await expect(store.getDn(first.dn)).resolves.toEqual(first);
  });

  it('lets exactly one of concurrent claims of a DN number win', async () => {
    const number = freshNumber();
    const claims = Array.from({ length: 5 }, () => dnOf(randomUUID(), { dn: number }));
    const answers = await Promise.all(claims.map((c) => store.createDn(c)));
    const owner = await store.getDn(number);
    expect(answers.every((a) => a.ccid === owner!.ccid)).toBe(true);
    expect(claims.filter((c) => c.ccid === owner!.ccid)).toHaveLength(1);
    for (const c of claims) await expect(store.listDns(c.ccid)).resolves.toHaveLength(c.ccid === owner!.ccid ? 1 : 0);
  });

  it('deletes a DN only for its owner', async () => {
    const ccid = randomUUID();
    const dn = dnOf(ccid);
    await store.createDn(dn);
    await expect(store.deleteDn(randomUUID(), dn.dn)).resolves.toBe(false);
    await expect(store.getDn(dn.dn)).resolves.toEqual(dn);
    await expect(store.deleteDn(ccid, dn.dn)).resolves.toBe(true);
    await expect(store.getDn(dn.dn)).resolves.toBeUndefined();
    await expect(store.listDns(ccid)).resolves.toEqual([]);
    await expect(store.deleteDn(ccid, dn.dn)).resolves.toBe(false);
    // The number is free again, for any contact center.
    const other = dnOf(randomUUID(), { dn: dn.dn });
    await expect(store.createDn(other)).resolves.toEqual(other);
  });

  it('creates, reads, lists, replaces and deletes places per contact center', async () => {
    const ccid = randomUUID();
    const b = placeOf(ccid, { name: 'Place_B', dns: ['2', '1'], agents: ['alice', 'bob'] });
    const a = placeOf(ccid, { name: 'Place_A' });
    await expect(store.createPlace(b)).resolves.toBe(true);
    await expect(store.createPlace(a)).resolves.toBe(true);
    await expect(store.createPlace({ ...a, dns: ['9'] })).resolves.toBe(false);
    await expect(store.getPlace(ccid, 'Place_B')).resolves.toEqual(b);
    await expect(store.getPlace(randomUUID(), 'Place_B')).resolves.toBeUndefined();
    await expect(store.listPlaces(ccid)).resolves.toEqual([a, b]);

    const replaced = { ...b, dns: ['3'], agents: [], updatedAt: new Date(Date.now() + 1000).toISOString() };
    await expect(store.updatePlace(replaced)).resolves.toBe(true);
    await expect(store.getPlace(ccid, 'Place_B')).resolves.toEqual(replaced);
    await expect(store.updatePlace(placeOf(ccid, { name: 'Place_missing' }))).resolves.toBe(false);
    await expect(store.getPlace(ccid, 'Place_missing')).resolves.toBeUndefined();

    await expect(store.deletePlace(ccid, 'Place_A')).resolves.toBe(true);
    await expect(store.deletePlace(ccid, 'Place_A')).resolves.toBe(false);
    await expect(store.listPlaces(ccid)).resolves.toEqual([replaced]);
  });

  it('keeps same-named places of different contact centers apart', async () => {
    const [a, b] = [placeOf(randomUUID(), { name: 'Place_7001', dns: ['x'] }), placeOf(randomUUID(), { name: 'Place_7001', dns: ['y'] })];
    await expect(store.createPlace(a)).resolves.toBe(true);
    await expect(store.createPlace(b)).resolves.toBe(true);
    await expect(store.getPlace(a.ccid, 'Place_7001')).resolves.toEqual(a);
    await expect(store.getPlace(b.ccid, 'Place_7001')).resolves.toEqual(b);
  });
});
