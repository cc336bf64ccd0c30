import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DependencyUnavailableException } from '../common/errors/rws.exception';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';

/** What a client waiting on Redis is told to wait (Retry-After); reconnect attempts run at least this often. */
export const REDIS_RETRY_AFTER_SECONDS = 2;
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * The node's link to the cluster's Redis (RWS_CLUSTER_REDIS_URL), or nothing when the node runs alone.
 * Two connections: one for commands, one that only listens (a subscribed Redis connection can do nothing else).
 * Both reconnect by themselves forever; while Redis is away commands fail at once (no offline queue) with
 * DependencyUnavailableException, so a request answers 503 + Retry-After instead of hanging, and the node stays up.
 */
@Injectable()
export class ClusterRedis implements OnApplicationShutdown {
  private readonly logger = new Logger('ClusterRedis');
  /** Tells this node's own broadcasts apart from other nodes'. */
  readonly nodeId = randomUUID();
  readonly commands: Redis | undefined;
  readonly subscriber: Redis | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig, health: HealthRegistry) {
    const url = config.cluster.redisUrl;
    if (!url) return;
    this.commands = this.connect(url, 'commands');
    this.subscriber = this.connect(url, 'subscriber');
    health.register({ name: 'redis', check: () => this.ping() });
  }

  get enabled(): boolean {
    return this.commands !== undefined;
  }

  /** The command connection, or 503 when Redis cannot be reached now. */
  require(): Redis {
    if (!this.commands || this.commands.status !== 'ready') throw new DependencyUnavailableException('Redis', undefined, REDIS_RETRY_AFTER_SECONDS);
    return this.commands;
  }

  /** Runs a Redis call; a connection failure becomes 503 + Retry-After (never the driver's message to the client). */
  async run<T>(call: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = this.require();
    try {
      return await call(redis);
    } catch (err) {
      if (isReplyError(err)) throw err;
      throw new DependencyUnavailableException('Redis', err, REDIS_RETRY_AFTER_SECONDS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.commands, this.subscriber].map((c) => c?.quit().catch(() => c.disconnect())));
  }

  private async ping(): Promise<void> {
    if (this.commands?.status !== 'ready') throw new Error(`redis connection ${this.commands?.status ?? 'absent'}`);
    if (this.subscriber?.status !== 'ready') throw new Error(`redis subscriber ${this.subscriber?.status ?? 'absent'}`);
    await this.commands.ping();
  }

  private connect(url: string, role: string): Redis {
    const client = new Redis(url, {
      connectionName: `rws-${role}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    });
    let down = false;
    client.on('ready', () => {
      if (down) this.logger.log({ msg: 'redis connection back', role });
      down = false;
    });
    client.on('error', (err: Error) => {
      // ioredis reports every failed reconnect: say it once per outage (the URL may carry a password: never logged).
      if (!down) this.logger.warn({ msg: 'redis connection lost', role, error: err.message });
      down = true;
    });
    return client;
  }
}

function isReplyError(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'ReplyError';
}
