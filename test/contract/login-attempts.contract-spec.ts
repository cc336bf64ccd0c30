import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../src/common/errors/error-code';
import { ClusterRedis } from '../../src/cluster/cluster-redis';
import { RedisLoginAttempts } from '../../src/cluster/redis-login-attempts';
import type { AppConfig } from '../../src/config/app-config';
import { HealthRegistry } from '../../src/health/health-registry';
import { InMemoryLoginAttempts } from '../../src/identity/authentication/in-memory-login-attempts';
import { AttemptScope, AttemptTicket, LoginAttempts } from '../../src/identity/authentication/login-attempts';
import { RedisProcess, startRedis } from '../support/redis-process';

/**
 * The LoginAttempts port on its two adapters: this process's memory (one node) and Redis (a cluster). "Two
 * nodes" are two adapters: for memory the same instance (one node has one map), for Redis two instances on
 * their own connections, which must share every count.
 */
interface Nodes {
  a: LoginAttempts;
  b: LoginAttempts;
  close(): Promise<void>;
}

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

async function redisNode(): Promise<{ attempts: LoginAttempts; link: ClusterRedis }> {
  const link = new ClusterRedis({ cluster: { redisUrl: redis.url } } as AppConfig, new HealthRegistry());
  await new Promise<void>((resolve) => (link.commands!.status === 'ready' ? resolve() : link.commands!.once('ready', () => resolve())));
  return { attempts: new RedisLoginAttempts(link), link };
}

const ADAPTERS: [string, () => Promise<Nodes>][] = [
  [
    'memory',
    () => {
      const one = new InMemoryLoginAttempts();
      return Promise.resolve({ a: one, b: one, close: () => Promise.resolve() });
    },
  ],
  [
    'redis',
    async () => {
      const [a, b] = await Promise.all([redisNode(), redisNode()]);
      return { a: a.attempts, b: b.attempts, close: () => Promise.all([a.link.onApplicationShutdown(), b.link.onApplicationShutdown()]).then(() => undefined) };
    },
  ],
];

function scope(threshold: number, resetOnSuccess = true): AttemptScope {
  return { key: `pair:${randomUUID()}`, threshold, resetOnSuccess };
}

async function admittedTicket(attempts: LoginAttempts, scopes: AttemptScope[]): Promise<AttemptTicket> {
  const admission = await attempts.begin(scopes);
  if (!admission.admitted) throw new Error(`refused (retry after ${admission.retryAfterSeconds} s)`);
  return admission.ticket;
}

describe.each(ADAPTERS)('LoginAttempts contract (%s)', (_name, open) => {
  let nodes: Nodes;
  beforeAll(async () => {
    nodes = await open();
  });
  afterAll(async () => {
    await nodes?.close();
  });

  it('admits up to the threshold of failures made on any node, then refuses with a Retry-After', async () => {
    const s = scope(3);
    for (const node of [nodes.a, nodes.b, nodes.a]) await node.finish(await admittedTicket(node, [s]), 'failure');
    for (const node of [nodes.a, nodes.b]) {
      const admission = await node.begin([s]);
      expect(admission).toEqual({ admitted: false, retryAfterSeconds: expect.any(Number) });
      expect((admission as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts attempts in flight on every node: the threshold is never exceeded by concurrent checks', async () => {
    const s = scope(2);
    const admissions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? nodes.a : nodes.b).begin([s])));
    expect(admissions.filter((a) => a.admitted)).toHaveLength(2);
  });

  it('a success resets a pair scope but not a source scope; undecided outcomes count nothing', async () => {
    const pair = scope(2, true);
    const source = scope(2, false);
    await nodes.a.finish(await admittedTicket(nodes.a, [pair, source]), 'failure');
    await nodes.b.finish(await admittedTicket(nodes.b, [pair, source]), 'success');
    await nodes.b.finish(await admittedTicket(nodes.b, [pair]), 'undecided');
    // The pair starts over (two more failures are admitted); the source has one failure left.
    await nodes.a.finish(await admittedTicket(nodes.a, [source]), 'failure');
    expect((await nodes.b.begin([source])).admitted).toBe(false);
    await nodes.a.finish(await admittedTicket(nodes.a, [pair]), 'failure');
    await nodes.b.finish(await admittedTicket(nodes.b, [pair]), 'failure');
    expect((await nodes.a.begin([pair])).admitted).toBe(false);
  });

  it('a refusal on one scope admits nothing on the others (atomic over scopes)', async () => {
    const locked = scope(1);
    const open = scope(5);
    await nodes.a.finish(await admittedTicket(nodes.a, [locked]), 'failure');
    expect((await nodes.b.begin([open, locked])).admitted).toBe(false);
    // `open` holds no reservation from the refused attempt: its full budget is still there.
    const tickets = await Promise.all(Array.from({ length: 5 }, () => admittedTicket(nodes.a, [open])));
    expect(tickets).toHaveLength(5);
  });
});

describe('LoginAttempts on Redis while Redis is away', () => {
  it('answers 503 (DependencyUnavailable with Retry-After), never admits', async () => {
    const link = new ClusterRedis({ cluster: { redisUrl: 'redis://127.0.0.1:1' } } as AppConfig, new HealthRegistry());
    try {
      await expect(new RedisLoginAttempts(link).begin([scope(5)])).rejects.toMatchObject({
        code: ErrorCode.DependencyUnavailable,
        options: { retryAfterSeconds: expect.any(Number) },
      });
    } finally {
      link.commands!.disconnect();
      link.subscriber!.disconnect();
    }
  });
});
