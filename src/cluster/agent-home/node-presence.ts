import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ClusterRedis } from '../cluster-redis';
import { NODE_PREFIX, NODE_TTL_MS, NodePresenceRecord } from './agent-home-keys';

/**
 * This node's presence in Redis (`rws:node:<nodeId>` → its URL), refreshed every tick with a short TTL: a node
 * killed without a word is gone for the others within NODE_TTL_MS, and its agents are taken over.
 */
@Injectable()
export class NodePresence {
  private readonly startedAt = Date.now();
  private announced = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: ClusterRedis,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Where the other nodes reach this one: RWS_NODE_URL, or the loopback address of the listening port. */
  url(): string | undefined {
    if (this.config.cluster.nodeUrl) return this.config.cluster.nodeUrl;
    const address = this.adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | null | undefined;
    return address?.port ? `http://127.0.0.1:${address.port}` : undefined;
  }

  /** Says "alive" once more; nothing until the node listens (others must not forward to a node not serving yet). */
  async beat(): Promise<void> {
    const url = this.url();
    if (!url) return;
    const record: NodePresenceRecord = { url, startedAt: this.startedAt };
    await this.redis.run((r) => r.set(NODE_PREFIX + this.redis.nodeId, JSON.stringify(record), 'PX', NODE_TTL_MS));
    this.announced = true;
  }

  /**
   * Before this node claims an agent: its presence must be in Redis, or the others would take the claim for a
   * dead node's and take the agent straight back (a request can arrive before the first tick announced the node).
   */
  async ensureAnnounced(): Promise<void> {
    if (!this.announced) await this.beat();
  }

  /** An orderly stop: the others take this node's agents over at once instead of after the TTL. */
  async leave(): Promise<void> {
    if (this.redis.commands?.status === 'ready') await this.redis.commands.del(NODE_PREFIX + this.redis.nodeId).catch(() => undefined);
  }

  /** Which of `nodeIds` are alive now: one MGET of their presence keys (not a SCAN of the whole keyspace). */
  async liveAmong(nodeIds: Iterable<string>): Promise<Set<string>> {
    const ids = [...new Set(nodeIds)];
    const presences = await this.mget(ids.map((id) => NODE_PREFIX + id));
    return new Set(ids.filter((_, i) => presences[i] !== null));
  }

  /** The other live nodes and the URL each is reached at (a SCAN of the presence keys). */
  async others(): Promise<{ nodeId: string; url: string }[]> {
    const keys = await this.scan(`${NODE_PREFIX}*`);
    const records = await this.mget(keys);
    return keys.flatMap((key, i) => {
      const nodeId = key.slice(NODE_PREFIX.length);
      const record = records[i];
      return record !== null && nodeId !== this.redis.nodeId ? [{ nodeId, url: (JSON.parse(record) as NodePresenceRecord).url }] : [];
    });
  }

  async mget(keys: string[]): Promise<(string | null)[]> {
    return keys.length === 0 ? [] : this.redis.run((r) => r.mget(...keys));
  }

  async scan(pattern: string): Promise<string[]> {
    const redis = this.redis.require();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.run(() => redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }
}
