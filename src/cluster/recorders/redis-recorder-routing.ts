import { Logger } from '@nestjs/common';
import type { CommandMessage } from '../../recorders/recorder-protocol';
import { RecorderAttachment, RecorderReport, RecorderRouting, RoutedCommand, RoutedDesired, RoutedSnapshot, RoutingHandlers } from '../../recorders/recorder-routing.port';
import type { ClusterRedis } from '../cluster-redis';
import { PUBLISH_DESIRED, REFRESH_PRESENCE, RELEASE_PRESENCE, RoutingKeys } from './recorder-routing-scripts';

/** Presence and desired-state keys lapse this long after their node stopped refreshing them (it died). */
const PRESENCE_TTL_MS = 5_000;
const DESIRED_TTL_MS = 30_000;
/**
 * How long an agent's stopped recordings are remembered for other nodes: far longer than a home's stale view of
 * a call can outlive its release (seconds), and the set holds only the agent's recent recordings.
 */
const STOPPED_TTL_MS = 10 * 60_000;
/** How often a node refreshes its recorders' presence and its agents' desired state. */
const REFRESH_MS = 1_000;
/** Keys refreshed per script call (one round trip each). */
const REFRESH_BATCH = 500;

/**
 * RecorderRouting on the cluster's Redis (docs/cluster.md, "How commands reach the recorder"):
 * - `rws:recorder-at:<agent>` → node holding the agent's recorder (TTL, refreshed every second while connected);
 * - `rws:recorder-desired:<agent>` → {seq, home, snapshot}, written by the home in the same script that
 *   increments `rws:recorder-seq:<agent>` and publishes {agentKey, seq, home, snapshot, command} on
 *   `rws:recorder-commands:<recorder node>` — so the key always holds the newest message's snapshot;
 * - `rws:recorder-reports:<home>` carries what a recorder node tells the home.
 * While Redis is away, changes are kept (newest per agent) and republished when it is back; recorder nodes
 * re-announce their recorders and converge from the keys then.
 */
export class RedisRecorderRouting extends RecorderRouting {
  private readonly logger = new Logger('RecorderRouting');
  readonly enabled = true;
  readonly nodeId: string;
  private readonly keys: RoutingKeys;
  private handlers?: RoutingHandlers;
  /** Agents whose recorder is here (their presence is refreshed). */
  private readonly present = new Set<string>();
  /** Agents homed here with a desired screen recording (their key is refreshed, and republished after an outage). */
  private readonly desired = new Map<string, RoutedSnapshot>();
  /** Changes published while Redis was away: republished (snapshot only) when it is back. */
  private readonly unpublished = new Map<string, RoutedSnapshot | null>();
  private readonly timer: NodeJS.Timeout;
  private down = false;

  constructor(private readonly redis: ClusterRedis) {
    super();
    this.nodeId = redis.nodeId;
    this.keys = new RoutingKeys(this.nodeId);
    const subscriber = redis.subscriber!;
    const subscribe = () => {
      void subscriber.subscribe(this.keys.commandChannel, this.keys.reportChannel).catch((err: Error) => this.logger.warn({ msg: 'subscribe failed', error: err.message }));
    };
    // Built after the connection may already be up: subscribe now then, and again after each reconnect.
    if (subscriber.status === 'ready') subscribe();
    subscriber.on('ready', () => {
      subscribe();
      this.back();
    });
    subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    for (const connection of [subscriber, redis.commands!]) {
      connection.on('close', () => (this.down = true));
      connection.on('ready', () => this.back());
    }
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  listen(handlers: RoutingHandlers): void {
    this.handlers = handlers;
  }

  async publish(agentKey: string, snapshot: RoutedSnapshot | null, command: CommandMessage | null): Promise<string | undefined> {
    const json = JSON.stringify(snapshot);
    if (snapshot) this.desired.set(agentKey, snapshot);
    else this.desired.delete(agentKey);
    try {
      const [, node] = (await this.redis.run((r) => PUBLISH_DESIRED.run(r, ...this.keys.forPublish(agentKey), this.nodeId, json, JSON.stringify(command), DESIRED_TTL_MS, agentKey))) as [number, string];
      return node && node !== this.nodeId ? node : undefined;
    } catch (err) {
      if (!this.unpublished.size) this.logger.warn({ msg: 'recorder command not routed: redis unavailable (republished when it is back)', error: (err as Error).message });
      this.unpublished.set(agentKey, snapshot);
      return undefined;
    }
  }

  async attach(agentKey: string): Promise<RecorderAttachment> {
    this.present.add(agentKey);
    const results = await this.redis.run((r) =>
      r.multi().set(this.keys.presence(agentKey), this.nodeId, 'PX', PRESENCE_TTL_MS).get(this.keys.desired(agentKey)).smembers(this.keys.stopped(agentKey)).exec(),
    );
    const raw = results?.[1]?.[1] as string | null | undefined;
    return { desired: raw ? (JSON.parse(raw) as RoutedDesired) : null, stopped: (results?.[2]?.[1] as string[] | undefined) ?? [] };
  }

  async peek(agentKey: string): Promise<RoutedDesired | null> {
    const raw = await this.redis.run((r) => r.get(this.keys.desired(agentKey)));
    return raw ? (JSON.parse(raw) as RoutedDesired) : null;
  }

  detach(agentKey: string): void {
    this.present.delete(agentKey);
    // Only our own claim: the recorder may already have reconnected to another node.
    this.redis.commands!.eval(RELEASE_PRESENCE, 1, this.keys.presence(agentKey), this.nodeId).catch(() => undefined);
  }

  rememberStop(agentKey: string, recordingId: string): void {
    const key = this.keys.stopped(agentKey);
    this.redis.commands!.multi().sadd(key, recordingId).pexpire(key, STOPPED_TTL_MS).exec().catch((err: Error) => {
      this.logger.warn({ msg: 'stop not shared with the other nodes: redis unavailable', agentKey, recordingId, error: err.message });
    });
  }

  report(home: string, report: RecorderReport): void {
    if (home === this.nodeId) return this.handlers?.report(report);
    this.redis.commands!.publish(this.keys.reportChannelOf(home), JSON.stringify(report)).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private receive(channel: string, message: string): void {
    try {
      if (channel === this.keys.commandChannel) this.handlers?.command(JSON.parse(message) as RoutedCommand);
      else if (channel === this.keys.reportChannel) this.handlers?.report(JSON.parse(message) as RecorderReport);
    } catch (err) {
      this.logger.warn({ msg: 'routed recorder message failed', channel, error: (err as Error).message });
    }
  }

  /**
   * Both connections are back after an outage: republish (snapshot only) what could not be published and every
   * desired recording of this home (Redis may have restarted empty), then let the recorders here converge.
   */
  private back(): void {
    if (!this.down || this.redis.commands!.status !== 'ready' || this.redis.subscriber!.status !== 'ready') return;
    this.down = false;
    const pending = new Map<string, RoutedSnapshot | null>([...this.desired, ...this.unpublished]);
    this.unpublished.clear();
    for (const [agentKey, snapshot] of pending) void this.publish(agentKey, snapshot, null);
    this.handlers?.reconnected();
  }

  /** Keeps the keys of live recorders and desired states from lapsing (pipelined: a few round trips per second). */
  private async refresh(): Promise<void> {
    if (this.redis.commands?.status !== 'ready') return;
    try {
      const present = [...this.present];
      for (let i = 0; i < present.length; i += REFRESH_BATCH) {
        const batch = present.slice(i, i + REFRESH_BATCH).map((k) => this.keys.presence(k));
        await this.redis.commands.eval(REFRESH_PRESENCE, batch.length, ...batch, this.nodeId, PRESENCE_TTL_MS);
      }
      const desired = [...this.desired.keys()];
      for (let i = 0; i < desired.length; i += REFRESH_BATCH) {
        const pipeline = this.redis.commands.pipeline();
        for (const k of desired.slice(i, i + REFRESH_BATCH)) pipeline.pexpire(this.keys.desired(k), DESIRED_TTL_MS);
        await pipeline.exec();
      }
    } catch (err) {
      this.logger.debug({ msg: 'recorder routing refresh failed', error: (err as Error).message });
    }
  }
}
