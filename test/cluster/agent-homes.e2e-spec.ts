import type { HttpAdapterHost } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { DependencyUnavailableException } from '../../src/common/errors/rws.exception';
import { ClusterRedis } from '../../src/cluster/cluster-redis';
import { RECLAIM_GRACE_MS } from '../../src/cluster/agent-home/agent-home-keys';
import { NodePresence } from '../../src/cluster/agent-home/node-presence';
import { RedisAgentHomes } from '../../src/cluster/agent-home/redis-agent-homes';
import type { AppConfig } from '../../src/config/app-config';
import { HealthRegistry } from '../../src/health/health-registry';
import { RedisProcess, startRedis } from '../support/redis-process';

/** One "node": its own Redis connections, presence and home claims. */
interface TestNode {
  url: string;
  link: ClusterRedis;
  presence: NodePresence;
  homes: RedisAgentHomes;
  lost: string[];
}

/**
 * The home claims of the one-home-per-agent design on a real Redis, three nodes in this process: racing claims
 * have one winner, a node that just (re)connected claims nothing it does not hold, a dead home's agent is taken
 * by the next node that asks, and the old home hears that it lost it.
 */
describe('agent home claims on Redis', () => {
  let redis: RedisProcess;
  let redisStartedAt = 0;
  let nodes: TestNode[];

  async function startNode(i: number): Promise<TestNode> {
    const url = `http://127.0.0.${i + 1}:8080`;
    const config = { cluster: { redisUrl: redis.url, nodeUrl: url } } as AppConfig;
    const link = new ClusterRedis(config, new HealthRegistry());
    const homes = new RedisAgentHomes(link);
    await new Promise<void>((resolve) => (link.commands!.status === 'ready' ? resolve() : link.commands!.once('ready', () => resolve())));
    const node: TestNode = { url, link, presence: new NodePresence(config, link, {} as HttpAdapterHost), homes, lost: [] };
    homes.onLost((agentKey) => node.lost.push(agentKey));
    await node.presence.beat();
    return node;
  }

  beforeAll(async () => {
    redis = await startRedis();
    redisStartedAt = Date.now();
    nodes = await Promise.all([0, 1, 2].map(startNode));
  }, 30_000);
  afterAll(async () => {
    await Promise.all((nodes ?? []).map((n) => n.link.onApplicationShutdown()));
    await redis?.stop();
  });

  it('claims nothing it does not hold right after Redis started (empty: 503 + Retry-After), then claims', async () => {
    const agentKey = `cc/${randomUUID()}`;
    const early = await nodes[0].homes.resolve(agentKey).catch((err: unknown) => err);
    expect(early).toBeInstanceOf(DependencyUnavailableException);
    expect((early as DependencyUnavailableException).options.retryAfterSeconds).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, RECLAIM_GRACE_MS + 100));
    expect(await nodes[0].homes.resolve(agentKey)).toEqual({ kind: 'here', claimed: true });
    expect(await nodes[0].homes.resolve(agentKey)).toEqual({ kind: 'here' });
  });

  it('racing claims of one agent from three nodes have exactly one winner; the others are sent to its URL', async () => {
    const agentKey = `cc/${randomUUID()}`;
    const answers = await Promise.all(nodes.flatMap((node) => [1, 2, 3].map(() => node.homes.resolve(agentKey).then((route) => ({ node, route })))));
    const winners = new Set(answers.filter((a) => a.route.kind === 'here').map((a) => a.node.url));
    expect(winners.size).toBe(1);
    const [winner] = [...winners];
    for (const { node, route } of answers) {
      if (node.url !== winner) expect(route).toEqual({ kind: 'elsewhere', nodeId: expect.any(String), url: winner });
    }
  });

  it('keeps answering after Redis forgot its scripts (SCRIPT FLUSH, as after a restart): the body is sent again', async () => {
    const agentKey = `cc/${randomUUID()}`;
    expect(await nodes[1].homes.resolve(agentKey)).toEqual({ kind: 'here', claimed: true });
    await nodes[1].link.commands!.script('FLUSH');
    expect(await nodes[1].homes.resolve(agentKey)).toEqual({ kind: 'here' });
    expect(await nodes[2].homes.resolve(agentKey)).toEqual({ kind: 'elsewhere', nodeId: expect.any(String), url: nodes[1].url });
  });

  it('a dead home’s agent and session record go to the next node that asks; the old home learns it lost the agent', async () => {
    const agentKey = `cc/${randomUUID()}`;
    const [home, next] = nodes;
    expect(await home.homes.resolve(agentKey)).toEqual({ kind: 'here', claimed: true });
    const record = { agent: { ccid: 'cc', userName: agentKey.slice(3) }, place: 'Place_1', devices: [{ dn: '7001' }], startedAt: Date.now() };
    await home.homes.sessionSaved(agentKey, record);
    expect(await next.homes.resolve(agentKey)).toMatchObject({ kind: 'elsewhere', url: home.url });

    // The home stops saying it is alive (its presence key is gone, as after a kill once the TTL lapsed).
    await home.link.commands!.del(`rws:node:${home.link.nodeId}`);
    expect(await next.homes.resolve(agentKey)).toEqual({ kind: 'here', claimed: true, takenFrom: home.link.nodeId });
    expect(await next.homes.readRecord(agentKey)).toEqual(record);
    expect(await nodes[2].homes.resolve(agentKey)).toMatchObject({ kind: 'elsewhere', url: next.url });

    // The old home comes back: its refresh finds the claim held by another node and lets the agent go.
    await home.presence.beat();
    await home.homes.refresh();
    expect(home.lost).toContain(agentKey);
    expect(home.homes.isHomedHere(agentKey)).toBe(false);
    expect(await home.homes.resolve(agentKey)).toMatchObject({ kind: 'elsewhere', url: next.url });

    await next.homes.sessionEnded(agentKey);
    expect(await home.homes.readRecord(agentKey)).toBeUndefined();
  });

  it('a node that connects to a Redis running for longer than the grace claims at once (a node started into a running cluster)', async () => {
    // Last: the wait lets the other nodes' presences lapse (they beat once, at start).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, redisStartedAt + RECLAIM_GRACE_MS + 1_100 - Date.now())));
    const late = await startNode(3);
    try {
      expect(await late.homes.resolve(`cc/${randomUUID()}`)).toEqual({ kind: 'here', claimed: true });
    } finally {
      await late.link.onApplicationShutdown();
    }
  });
});
