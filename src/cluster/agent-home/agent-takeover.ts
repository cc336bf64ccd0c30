import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AgentHomes } from '../../places/agent-homes';
import { AgentSessionsService } from '../../places/agent-sessions.service';
import { HOME_PREFIX, SESSION_PREFIX, TICK_MS } from './agent-home-keys';
import { NodePresence } from './node-presence';
import { RedisAgentHomes } from './redis-agent-homes';

/**
 * Keeps this node's part of the one-home-per-agent design going, every tick: says it is alive, refreshes the
 * homes it holds (letting go of those another node holds now), and takes over the sessions of dead nodes —
 * racing the other live nodes with the atomic claim; the winner registers the DNs on its own SIP Server link,
 * whose answers (EventRegistered with the DN's calls) rebuild the calls, and screen recording follows them.
 */
@Injectable()
export class AgentTakeover implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AgentTakeover');
  private readonly homes: RedisAgentHomes | undefined;
  private timer?: NodeJS.Timeout;
  private running = false;
  private unsubscribe?: () => void;

  constructor(
    homes: AgentHomes,
    private readonly presence: NodePresence,
    private readonly sessions: AgentSessionsService,
  ) {
    this.homes = homes instanceof RedisAgentHomes ? homes : undefined;
    this.homes?.announceWith(() => presence.ensureAnnounced());
  }

  onApplicationBootstrap(): void {
    if (!this.homes) return; // a node alone
    this.unsubscribe = this.homes.onLost((agentKey) => {
      if (this.sessions.holds(agentKey)) void this.sessions.releaseLocal(agentKey).catch((err: Error) => this.logger.warn({ msg: 'release failed', agentKey, error: err.message }));
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.homes) return;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.presence.leave();
  }

  /** Holds the agent's session here if a record of it exists (the request that found its home dead waits for this). */
  async restore(agentKey: string, from?: string): Promise<void> {
    if (!this.homes) return;
    const record = await this.homes.readRecord(agentKey);
    if (!record || this.sessions.holds(agentKey)) return;
    const status = await this.sessions.restore(agentKey, record);
    this.homes.adopted(agentKey, record);
    this.logger.log({ msg: 'agent session taken over', agentKey, from, dns: status.devices.map((d) => `${d.dn}:${d.state}`).join(',') });
  }

  private async tick(): Promise<void> {
    if (this.running || !this.homes) return;
    this.running = true;
    try {
      await this.presence.beat();
      await this.homes.refresh();
      await this.adoptOrphans(this.homes);
    } catch (err) {
      // Redis away: this node keeps serving what it holds; the next tick after Redis is back re-claims it all.
      this.logger.debug({ msg: 'cluster tick failed', error: (err as Error).message });
    } finally {
      this.running = false;
    }
  }

  /** Sessions whose home is no live node: claim each (one node wins each race) and restore what was won. */
  private async adoptOrphans(homes: RedisAgentHomes): Promise<void> {
    const recordKeys = await this.presence.scan(SESSION_PREFIX + '*');
    if (recordKeys.length === 0) return;
    const agentKeys = recordKeys.map((k) => k.slice(SESSION_PREFIX.length));
    const current = await this.presence.mget(agentKeys.map((k) => HOME_PREFIX + k));
    const live = await this.presence.liveAmong(current.filter((home): home is string => home !== null));
    for (const [i, agentKey] of agentKeys.entries()) {
      const home = current[i];
      if (home && live.has(home)) continue;
      const route = await homes.resolve(agentKey);
      if (route.kind !== 'here') continue;
      await this.restore(agentKey, route.takenFrom ?? home ?? undefined).catch((err: Error) =>
        this.logger.warn({ msg: 'agent session not taken over', agentKey, error: err.message }),
      );
    }
  }
}
