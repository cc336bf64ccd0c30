import type Redis from 'ioredis';
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
