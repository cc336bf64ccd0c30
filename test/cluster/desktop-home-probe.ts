import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { LocalCluster } from '../support/local-cluster';

/** A call the simulator placed to a DN. */
export interface CallOn {
  connId: string;
  callUuid: string;
}

/**
 * What the cluster's desktop-home suite looks at besides the API: where Redis says an agent is homed, and how
 * many SIP Server links the simulator sees registering a DN (its control surface, `GET /state`).
 */
export class HomeProbe {
  constructor(
    private readonly cluster: LocalCluster,
    private readonly redis: Redis,
  ) {}

  /** The agent's home node and the URL it announced. */
  async homeOf(agentKey: string): Promise<{ nodeId: string; url: string }> {
    const nodeId = await this.redis.get(`rws:agent-home:${agentKey}`);
    if (!nodeId) throw new Error(`no home for ${agentKey}`);
    const presence = await this.redis.get(`rws:node:${nodeId}`);
    if (!presence) throw new Error(`home ${nodeId} of ${agentKey} is not live`);
    return { nodeId, url: (JSON.parse(presence) as { url: string }).url };
  }

  /** How many client links of the simulator pair have `dn` registered now. */
  async linksRegistering(dn: string): Promise<number> {
    const state = (await (await fetch(`${this.cluster.simControlUrl}/state`)).json()) as { servers: { links: { registered: string[] }[] }[] };
    return state.servers.flatMap((s) => s.links).filter((l) => l.registered.includes(dn)).length;
  }

  async sim(command: string, args: Record<string, unknown>): Promise<unknown> {
    const answer = await fetch(`${this.cluster.simControlUrl}/commands/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
    if (!answer.ok) throw new Error(`sim ${command}: ${answer.status} ${await answer.text()}`);
    return answer.json();
  }

  /** A call from `from` to `dn`, answered there. */
  async call(dn: string, from: string): Promise<CallOn> {
    const call = (await this.sim('call', { from, to: dn })) as CallOn;
    await this.sim('answer', { call: call.connId, dn });
    return call;
  }
}

/** A user of the suite's contact center, with a bearer token for the desktop API. */
export interface ClusterUser {
  userName: string;
  password: string;
  bearer: string;
}

/** Creates an agent (or, with `attributes`, another user) through the balancer and signs it in. */
export async function createClusterUser(lbUrl: string, ops: string, ccid: string, prefix: string, attributes: Record<string, unknown> = {}): Promise<ClusterUser> {
  const userName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const user = { userName, password, roles: ['agent'], agentId: userName, agentHierarchy: `/EMEA/Cluster/${userName}`, ...attributes };
  await request(lbUrl).post(`/api/v2/ops/contact-centers/${ccid}/users`).set('Authorization', ops).send(user).expect(200);
  const token = (await request(lbUrl).post('/api/v2/auth/token').send({ userName, password }).expect(200)).body.access_token as string;
  return { userName, password, bearer: `Bearer ${token}` };
}

/** Polls `probe` (every 100 ms) until it answers something, or `boundMs` passed (then undefined). */
export async function waitUntil<T>(boundMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
