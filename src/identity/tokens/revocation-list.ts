import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ClusterEvents } from '../../cluster/cluster-events';
import { RevocationStore } from './revocation.store';

/** How often a node asks the store for revocations made elsewhere (the fallback when a broadcast is missed). */
const POLL_INTERVAL_MS = 5_000;
/** Each poll re-reads a little before the previous one, so clock skew between nodes loses nothing. */
const POLL_OVERLAP_MS = 30_000;

/**
 * The revoked login sessions, held in memory so that checking a token costs a map lookup, not a query.
 * A revocation on this node applies at once; on the other nodes of a cluster as soon as they hear the broadcast
 * (Redis pub/sub, well under a second), and within POLL_INTERVAL_MS in any case (the store of record is polled,
 * and re-read at once when a node reconnects to the broadcast). Entries leave when no credential of the session
 * can be valid any more.
 */
@Injectable()
export class RevocationList implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Revocations');
  private readonly revoked = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastPoll = 0;
  /** The longest any credential lives: a revocation must be remembered this long. */
  readonly retentionMs: number;

  constructor(
    private readonly store: RevocationStore,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: ClusterEvents,
  ) {
    const a = config.auth;
    this.retentionMs = Math.max(a.accessTokenTtlSeconds, a.sessionTtlSeconds, a.refreshTokenTtlSeconds) * 1000 + 60_000;
  }

  async onModuleInit(): Promise<void> {
    this.events.subscribe('session-revoked', ({ sessionId, expiresAt }) => this.revoked.set(sessionId, expiresAt));
    this.events.onResync(() => void this.poll());
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
    await this.poll();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Revokes a session everywhere: durable in the store first, then in this node's memory. */
  async revoke(sessionId: string): Promise<void> {
    const now = Date.now();
    const expiresAt = now + this.retentionMs;
    await this.store.revoke({ sessionId, revokedAt: new Date(now).toISOString(), expiresAt: new Date(expiresAt).toISOString() });
    this.events.publish('session-revoked', { sessionId, expiresAt });
  }

  /** This node's view (a broadcast behind other nodes; at most one poll interval when a broadcast is lost). */
  isRevoked(sessionId: string): boolean {
    const expiresAt = this.revoked.get(sessionId);
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  /** Asks the store as well: for rare, sensitive paths (refresh) where a poll interval of lag is not acceptable. */
  async isRevokedNow(sessionId: string): Promise<boolean> {
    return this.isRevoked(sessionId) || (await this.store.isRevoked(sessionId));
  }

  private async poll(): Promise<void> {
    const started = Date.now();
    const since = this.lastPoll === 0 ? started - this.retentionMs : this.lastPoll - POLL_OVERLAP_MS;
    try {
      for (const r of await this.store.listSince(new Date(since))) this.revoked.set(r.sessionId, Date.parse(r.expiresAt));
      this.lastPoll = started;
    } catch (err) {
      // Cassandra not reachable: keep what we know and try again next interval.
      this.logger.warn({ msg: 'revocation poll failed', error: (err as Error).message });
    }
    for (const [sid, expiresAt] of this.revoked) if (expiresAt <= started) this.revoked.delete(sid);
  }
}
