import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { StoredReceipt } from '../../src/lifecycle/deletion-receipt';
import type { PurgeRun, RetentionPolicy } from '../../src/lifecycle/retention-policy';
import { LeaseStore } from '../../src/cluster/lease.store';
import { RetentionStore } from '../../src/lifecycle/retention.store';
import { openPersistence } from '../support/persistence-harness';
import { RawLifecycleRows } from '../support/raw-lifecycle-rows';
import { METADATA_BACKENDS } from '../support/test-config';

function policyOf(ccid: string, overrides: Partial<RetentionPolicy> = {}): RetentionPolicy {
  const now = new Date().toISOString();
  return { id: randomUUID(), ccid, name: 'ninety days', enabled: true, match: { partitions: ['/sales'] }, action: { type: 'delete', afterDays: 90 }, createdAt: now, updatedAt: now, ...overrides };
}

function runOf(policy: RetentionPolicy, startedAt: string): PurgeRun {
  return {
    id: `${startedAt}-${randomUUID().slice(0, 8)}`,
    ccid: policy.ccid,
    policyId: policy.id,
    policy,
    cutoffMs: Date.parse(startedAt) - 90 * 86_400_000,
    asOf: startedAt,
    state: 'running',
    deleted: 0,
    heldByLegalHold: 0,
    keptByPolicy: 0,
    unreceipted: [],
    receiptIds: [],
    startedAt,
    updatedAt: startedAt,
  };
}

function receiptOf(ccid: string, issuedAt: string): StoredReceipt {
  return { id: `${issuedAt}-${randomUUID().slice(0, 8)}-0001`, ccid, issuedAt, policyId: randomUUID(), runId: 'r', count: 1, keyId: 'k', document: '{"a":"é"}', signature: 'c2ln' };
}

describe.each(METADATA_BACKENDS)('RetentionStore and LeaseStore contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let store: RetentionStore;
  let leases: LeaseStore;
  let raw: RawLifecycleRows;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(RetentionStore);
    leases = moduleRef.get(LeaseStore);
    raw = new RawLifecycleRows(moduleRef, backend);
  }, 120_000);
  afterAll(() => moduleRef?.close());

  it('stores, replaces, lists (per contact center and all) and deletes policies', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const first = policyOf(a, { createdAt: '2026-01-01T00:00:00.000Z' });
    const second = policyOf(a, { name: 'keep sales', action: { type: 'keep' }, match: { attachedData: { 'VIP ✓': 'yes' } }, createdAt: '2026-01-02T00:00:00.000Z' });
    const other = policyOf(b);
    for (const p of [second, first, other]) await store.putPolicy(p);
    await expect(store.getPolicy(a, first.id)).resolves.toEqual(first);
    await expect(store.listPolicies(a)).resolves.toEqual([first, second]);
    await expect(store.listPolicies(randomUUID())).resolves.toEqual([]);
    const all = await store.listAllPolicies();
    expect(all).toEqual(expect.arrayContaining([first, second, other]));

    const replaced = { ...first, enabled: false, updatedAt: new Date().toISOString() };
    await store.putPolicy(replaced);
    await expect(store.getPolicy(a, first.id)).resolves.toEqual(replaced);
    await expect(store.getPolicy(b, first.id)).resolves.toBeUndefined();

    await expect(store.deletePolicy(b, first.id)).resolves.toBe(false);
    await expect(store.deletePolicy(a, first.id)).resolves.toBe(true);
    await expect(store.deletePolicy(a, first.id)).resolves.toBe(false);
    await expect(store.listPolicies(a)).resolves.toEqual([second]);
    // The keyspace is shared and outlives the run: leave no policy for a scheduler to find.
    await store.deletePolicy(a, second.id);
    await store.deletePolicy(b, other.id);
  });

  it('keeps run checkpoints per policy, newest first, a rewrite replacing the same run', async () => {
    const policy = policyOf(randomUUID());
    const older = runOf(policy, '2026-03-01T00:00:00.000Z');
    const newer = runOf(policy, '2026-03-02T00:00:00.000Z');
    await store.putRun(older);
    await store.putRun(newer);
    const checkpoint: PurgeRun = { ...newer, after: { startMs: 1_700_000_000_000, id: 'CALL1' }, pending: { startMs: 1_600_000_000_000, id: 'CALL2' }, deleted: 3, unreceipted: [{ id: 'CALL1', media: [{ mediaId: 'm1' }], deletedAt: newer.startedAt }] };
    await store.putRun(checkpoint);
    await expect(store.listRuns(policy.ccid, policy.id, 10)).resolves.toEqual([checkpoint, older]);
    await expect(store.listRuns(policy.ccid, policy.id, 1)).resolves.toEqual([checkpoint]);
    await expect(store.listRuns(policy.ccid, randomUUID(), 10)).resolves.toEqual([]);
  });

  it('keeps an exportThenDelete target password sealed at rest (policy and run copy), reads rows of the first format and seals them when next written', async () => {
    const ccid = randomUUID();
    const password = `pw-${randomUUID()}`;
    const target = { type: 'webdav' as const, url: 'http://127.0.0.1:1/archive/', username: 'archiver', password };
    const policy = policyOf(ccid, { action: { type: 'exportThenDelete', afterDays: 30, target } });
    await store.putPolicy(policy);
    expect(await raw.policy(ccid, policy.id)).not.toContain(password);
    await expect(store.getPolicy(ccid, policy.id)).resolves.toEqual(policy);
    await expect(store.listPolicies(ccid)).resolves.toEqual([policy]);
    expect((await store.listAllPolicies()).find((p) => p.id === policy.id)).toEqual(policy);
    const run = runOf(policy, '2026-03-01T00:00:00.000Z');
    await store.putRun(run);
    expect(await raw.run(run)).not.toContain(password);
    await expect(store.listRuns(ccid, policy.id, 10)).resolves.toEqual([run]);

    const legacy = policyOf(ccid, { action: { type: 'exportThenDelete', afterDays: 30, target }, createdAt: '2026-01-01T00:00:00.000Z' });
    const legacyRun = runOf(legacy, '2026-03-02T00:00:00.000Z');
    await raw.writePolicy(legacy);
    await raw.writeRun(legacyRun);
    expect(await raw.policy(ccid, legacy.id)).toContain(password);
    await expect(store.getPolicy(ccid, legacy.id)).resolves.toEqual(legacy);
    await expect(store.listRuns(ccid, legacy.id, 10)).resolves.toEqual([legacyRun]);
    await store.putPolicy({ ...legacy, name: 'renamed' });
    await store.putRun({ ...legacyRun, deleted: 1 });
    expect(await raw.policy(ccid, legacy.id)).not.toContain(password);
    expect(await raw.run(legacyRun)).not.toContain(password);
    await expect(store.getPolicy(ccid, legacy.id)).resolves.toEqual({ ...legacy, name: 'renamed' });
    await expect(store.listRuns(ccid, legacy.id, 10)).resolves.toEqual([{ ...legacyRun, deleted: 1 }]);
    for (const id of [policy.id, legacy.id]) await store.deletePolicy(ccid, id);
  });

  it('keeps receipts per contact center, newest first, paged by id, exact bytes preserved', async () => {
    const ccid = randomUUID();
    const receipts = ['2026-04-01T00:00:00.000Z', '2026-04-03T00:00:00.000Z', '2026-04-02T00:00:00.000Z'].map((t) => receiptOf(ccid, t));
    for (const r of receipts) await store.putReceipt(r);
    await store.putReceipt(receipts[0]); // idempotent
    const [r1, r3, r2] = receipts;
    await expect(store.listReceipts(ccid, 10)).resolves.toEqual([r3, r2, r1]);
    await expect(store.listReceipts(ccid, 1)).resolves.toEqual([r3]);
    await expect(store.listReceipts(ccid, 10, r3.id)).resolves.toEqual([r2, r1]);
    await expect(store.getReceipt(ccid, r2.id)).resolves.toEqual(r2);
    await expect(store.getReceipt(randomUUID(), r2.id)).resolves.toBeUndefined();
  });

  it('gives a lease to one owner at a time: renewable by it, free again after release or expiry', async () => {
    const name = `test-lease-${randomUUID()}`;
    await expect(leases.acquire(name, 'a', 60_000)).resolves.toBe(true);
    await expect(leases.acquire(name, 'b', 60_000)).resolves.toBe(false);
    await expect(leases.acquire(name, 'a', 60_000)).resolves.toBe(true);
    await leases.release(name, 'b'); // not b's to release
    await expect(leases.acquire(name, 'b', 60_000)).resolves.toBe(false);
    await leases.release(name, 'a');
    await expect(leases.acquire(name, 'b', 1_000)).resolves.toBe(true);
    // b's lease runs out: a takes it over without b releasing it.
    await new Promise((r) => setTimeout(r, 2_100));
    await expect(leases.acquire(name, 'a', 60_000)).resolves.toBe(true);
    await expect(leases.acquire(name, 'b', 60_000)).resolves.toBe(false);
  });

  it('lets exactly one of concurrent contenders take a free lease', async () => {
    const name = `test-lease-${randomUUID()}`;
    const owners = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const won = await Promise.all(owners.map((o) => leases.acquire(name, o, 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });
});
