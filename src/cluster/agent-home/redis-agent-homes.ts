import { Logger } from '@nestjs/common';
import { AgentHomes, AgentSessionRecord } from '../../places/agent-homes';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import { ClusterRedis } from '../cluster-redis';
import { HOME_PREFIX, HOME_TTL_MS, NODE_PREFIX, NodePresenceRecord, RECLAIM_GRACE_MS, REFRESH_HOMES, RESOLVE_HOME, SESSION_PREFIX, SESSION_TTL_MS } from './agent-home-keys';

/** Where an agent's desktop requests are served. */
export type HomeRoute =
  /** `claimed`: this node just became the home (from `takenFrom`, a dead node, or after a claim that lapsed). */
  | { kind: 'here'; claimed?: boolean; takenFrom?: string }
  | { kind: 'elsewhere'; nodeId: string; url: string };

/** An agent homed here, with its session record when it has a session here. */
interface LocalHome {
  lastUsedAt: number;
  record?: AgentSessionRecord;
}

/** A home claim with no session and no request for this long is let go (its key lapses). */
const IDLE_HOME_MS = 30_000;

/**
 * AgentHomes on the cluster's Redis: the agents homed on this node (claimed with an atomic script, refreshed
 * every tick) and their session records. A claim another node holds now is reported to `onLost` handlers,
 * which let the local session go.
 */
export class RedisAgentHomes extends AgentHomes {
  private readonly logger = new Logger('AgentHomes');
  private readonly local = new Map<string, LocalHome>();
  private readonly lostHandlers = new Set<(agentKey: string) => void>();
  /** Makes sure this node's presence is in Redis before it claims anything (see NodePresence.ensureAnnounced). */
  private announce: () => Promise<void> = async () => {};

  /** When the command connection last became ready (claims of agents held elsewhere wait RECLAIM_GRACE_MS after it). */
  private readySince = Date.now();

  constructor(private readonly redis: ClusterRedis) {
    super();
    redis.commands?.on('ready', () => (this.readySince = Date.now()));
  }

  /** Where `agentKey` lives; claims it here when nobody (alive) holds it. 503 when Redis cannot say. */
  async resolve(agentKey: string): Promise<HomeRoute> {
    const mayClaim = this.local.has(agentKey) || Date.now() - this.readySince >= RECLAIM_GRACE_MS;
    if (mayClaim) await this.announce();
    const answer = await this.ask(agentKey, mayClaim);
    if (answer[0] === 'free') throw new DependencyUnavailableException('the cluster state (Redis just reconnected)', undefined, 1);
    if (answer[0] === 'elsewhere') {
      this.forget(agentKey);
      return elsewhere(answer);
    }
    this.touch(agentKey);
    if (answer[0] === 'taken') return { kind: 'here', claimed: true, takenFrom: answer[1] };
    return answer[0] === 'claimed' ? { kind: 'here', claimed: true } : { kind: 'here' };
  }

  /** Where `agentKey` lives, without claiming it (for requests about an agent made by someone else, e.g. a supervisor). */
  async locate(agentKey: string): Promise<HomeRoute> {
    const answer = await this.ask(agentKey, false);
    return answer[0] === 'elsewhere' ? elsewhere(answer) : { kind: 'here' };
  }

  /** Whether this node holds the agent's home as far as it knows (what it keeps serving while Redis is away). */
  isHomedHere(agentKey: string): boolean {
    return this.local.has(agentKey);
  }

  async claimHere(agentKey: string): Promise<boolean> {
    try {
      return (await this.resolve(agentKey)).kind === 'here';
    } catch (err) {
      // Redis away: a node keeps serving the agents it already homes.
      if (err instanceof DependencyUnavailableException && this.local.has(agentKey)) return true;
      throw err;
    }
  }

  async sessionSaved(agentKey: string, record: AgentSessionRecord): Promise<void> {
    // Kept locally first: when Redis is away the next refresh shares it.
    this.touch(agentKey).record = record;
    await this.redis.run((r) => r.set(SESSION_PREFIX + agentKey, JSON.stringify(record), 'PX', SESSION_TTL_MS));
  }

  async sessionEnded(agentKey: string): Promise<void> {
    const home = this.local.get(agentKey);
    if (home) home.record = undefined;
    await this.redis.run((r) => r.del(SESSION_PREFIX + agentKey));
  }

  /** A session taken over from a dead node: held here now, its record already in Redis. */
  adopted(agentKey: string, record: AgentSessionRecord): void {
    this.touch(agentKey).record = record;
  }

  async readRecord(agentKey: string): Promise<AgentSessionRecord | undefined> {
    const text = await this.redis.run((r) => r.get(SESSION_PREFIX + agentKey));
    return text ? (JSON.parse(text) as AgentSessionRecord) : undefined;
  }

  announceWith(announce: () => Promise<void>): void {
    this.announce = announce;
  }

  onLost(handler: (agentKey: string) => void): () => void {
    this.lostHandlers.add(handler);
    return () => this.lostHandlers.delete(handler);
  }

  /** Refreshes every claim and session record of this node in one round trip; lets go of claims lost meanwhile. */
  async refresh(now = Date.now()): Promise<void> {
    for (const [key, home] of this.local) if (!home.record && now - home.lastUsedAt > IDLE_HOME_MS) this.local.delete(key);
    const keys = [...this.local.keys()];
    if (keys.length === 0) return;
    const pipeline = this.redis.require().pipeline();
    pipeline.eval(REFRESH_HOMES, keys.length, ...keys.map((k) => HOME_PREFIX + k), this.redis.nodeId, HOME_TTL_MS);
    // Written again each time (not only re-armed): a Redis that restarted empty gets every record back at once.
    for (const [key, home] of this.local) if (home.record) pipeline.set(SESSION_PREFIX + key, JSON.stringify(home.record), 'PX', SESSION_TTL_MS);
    const results = await pipeline.exec();
    const [error, lost] = results?.[0] ?? [new Error('no answer')];
    if (error) throw error;
    for (const index of lost as number[]) {
      const agentKey = keys[index - 1];
      this.local.delete(agentKey);
      this.logger.warn({ msg: 'agent home moved to another node; releasing its session here', agentKey });
      for (const handler of this.lostHandlers) handler(agentKey);
    }
  }

  /** RESOLVE_HOME for `agentKey`; claims a free home only when `claim`. */
  private async ask(agentKey: string, claim: boolean): Promise<string[]> {
    return (await this.redis.run((r) => RESOLVE_HOME.run(r, 1, HOME_PREFIX + agentKey, this.redis.nodeId, HOME_TTL_MS, NODE_PREFIX, claim ? '1' : '0'))) as string[];
  }

  private touch(agentKey: string): LocalHome {
    let home = this.local.get(agentKey);
    if (!home) this.local.set(agentKey, (home = { lastUsedAt: Date.now() }));
    home.lastUsedAt = Date.now();
    return home;
  }

  private forget(agentKey: string): void {
    if (this.local.delete(agentKey)) for (const handler of this.lostHandlers) handler(agentKey);
  }
}

/** RESOLVE_HOME's {'elsewhere', presence JSON, node} answer as a route. */
function elsewhere(answer: string[]): HomeRoute {
  return { kind: 'elsewhere', nodeId: answer[2], url: (JSON.parse(answer[1]) as NodePresenceRecord).url };
}
