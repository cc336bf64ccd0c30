import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { NodeSecret } from '../node-secret';
import { randomBytes } from 'node:crypto';
import { ClusterEvents, ClusterEventTopics, ClusterTopic, LocalClusterEvents } from '../../cluster/cluster-events';
import { SigningKeyRing } from './signing-key-ring';
import { SigningKeyStore, StoredSigningKey } from './signing-key.store';

/** Nodes of one process that hear each other's broadcasts (what Redis pub/sub does between processes). */
class LinkedEvents extends ClusterEvents {
  constructor(private readonly peers: LinkedEvents[]) {
    super();
    peers.push(this);
  }
  protected broadcast<T extends ClusterTopic>(topic: T, payload: ClusterEventTopics[T]): void {
    for (const peer of this.peers) if (peer !== this) peer.deliver(topic, payload);
  }
}

/** The port's behaviour in memory (the real adapters have their own contract suite). */
class MemoryKeyStore extends SigningKeyStore {
  readonly rows = new Map<string, StoredSigningKey>();
  async list() {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }
  async create(key: StoredSigningKey) {
    if (this.rows.has(key.kid)) return false;
    this.rows.set(key.kid, { ...key });
    return true;
  }
  async retire(kid: string, at: string) {
    const row = this.rows.get(kid);
    if (!row) return false;
    row.retiredAt ??= at;
    return true;
  }
}

const HOUR = 3600;
const config = { auth: { signingKeyRotationSeconds: 24 * HOUR, accessTokenTtlSeconds: 900, sessionTtlSeconds: 8 * HOUR } } as AppConfig;

function secret(bytes = randomBytes(32)): NodeSecret {
  return { derive: () => bytes } as unknown as NodeSecret;
}

describe('SigningKeyRing', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z'), advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('creates a key on first use and keeps signing with it during the rotation period', async () => {
    const store = new MemoryKeyStore();
    const ring = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const first = await ring.signingKey();
    expect(store.rows.size).toBe(1);
    jest.setSystemTime(Date.now() + 23 * HOUR * 1000);
    expect((await ring.signingKey()).kid).toBe(first.kid);
  });

  it('shares one new key between concurrent first requests', async () => {
    const store = new MemoryKeyStore();
    const ring = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const kids = await Promise.all([ring.signingKey(), ring.signingKey(), ring.signingKey()]);
    expect(new Set(kids.map((k) => k.kid)).size).toBe(1);
    expect(store.rows.size).toBe(1);
  });

  it('rotates after the period; the old key verifies for the longest token lifetime more, then expires', async () => {
    const store = new MemoryKeyStore();
    const ring = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const first = await ring.signingKey();
    jest.setSystemTime(Date.now() + 24 * HOUR * 1000);
    const second = await ring.signingKey();
    expect(second.kid).not.toBe(first.kid);
    expect(await ring.verificationKey(first.kid)).toBeDefined();
    jest.setSystemTime(Date.now() + 8 * HOUR * 1000);
    expect(await ring.verificationKey(first.kid)).toBeDefined();
    jest.setSystemTime(Date.now() + 10 * 60 * 1000);
    expect(await ring.verificationKey(first.kid)).toBeUndefined();
    expect(await ring.verificationKey(second.kid)).toBeDefined();
  });

  it('retiring refuses the key at once and signing moves to a new key', async () => {
    const store = new MemoryKeyStore();
    const ring = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const first = await ring.signingKey();
    expect(await ring.retire(first.kid)).toBe(true);
    expect(await ring.verificationKey(first.kid)).toBeUndefined();
    expect(ring.stillAccepts(first.kid)).toBe(false);
    expect((await ring.signingKey()).kid).not.toBe(first.kid);
    expect(await ring.retire('unknown')).toBe(false);
  });

  it('a node with another secret verifies a peer’s key but signs with its own', async () => {
    const store = new MemoryKeyStore();
    const nodeA = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const nodeB = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const a = await nodeA.signingKey();
    expect(await nodeB.verificationKey(a.kid)).toBeDefined();
    const b = await nodeB.signingKey();
    expect(b.kid).not.toBe(a.kid);
    expect(await nodeA.verificationKey(b.kid)).toBeDefined();
  });

  it('a node with the same secret picks up the newest key of a peer (after a reload)', async () => {
    const shared = randomBytes(32);
    const store = new MemoryKeyStore();
    const nodeA = new SigningKeyRing(store, secret(shared), config, new LocalClusterEvents());
    const nodeB = new SigningKeyRing(store, secret(shared), config, new LocalClusterEvents());
    await nodeA.signingKey();
    jest.setSystemTime(Date.now() + 1000);
    const rotated = await nodeB.rotate();
    await nodeA.list(); // forces the reload the 30 s timer would do
    expect((await nodeA.signingKey()).kid).toBe(rotated.kid);
  });

  it('a rotation or retirement on one node applies on its peers at once, through the broadcast (no reload timer)', async () => {
    const shared = randomBytes(32);
    const store = new MemoryKeyStore();
    const bus: LinkedEvents[] = [];
    const nodeA = new SigningKeyRing(store, secret(shared), config, new LinkedEvents(bus));
    const nodeB = new SigningKeyRing(store, secret(shared), config, new LinkedEvents(bus));
    const first = await nodeA.signingKey();
    expect((await nodeB.signingKey()).kid).toBe(first.kid);
    jest.setSystemTime(Date.now() + 1000);
    const rotated = await nodeB.rotate();
    await flushReloads();
    expect((await nodeA.signingKey()).kid).toBe(rotated.kid);

    await nodeA.retire(rotated.kid);
    await flushReloads();
    expect(nodeB.stillAccepts(rotated.kid)).toBe(false);
    expect((await nodeB.signingKey()).kid).not.toBe(rotated.kid);
  });

  it('lists keys newest first with their state', async () => {
    const store = new MemoryKeyStore();
    const ring = new SigningKeyRing(store, secret(), config, new LocalClusterEvents());
    const first = await ring.signingKey();
    jest.setSystemTime(Date.now() + 1000);
    const second = await ring.rotate();
    const list = await ring.list();
    expect(list.map((k) => [k.kid, k.status])).toEqual([
      [second.kid, 'signing'],
      [first.kid, 'verifying'],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/PRIVATE|sealed/i);
  });
});

/** Lets the reloads a broadcast started finish (the memory store answers on the next ticks). */
async function flushReloads(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
