import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { auth, Client, policies, types } from 'cassandra-driver';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import { translateDriverError } from './cassandra-errors';
import { applyMigrations } from './migrator';

/** Options of one CQL execution. Every statement is prepared. */
export interface CqlOptions {
  /** Safe to retry/speculate: true for reads and plain upserts, false for LWT and counters. */
  idempotent: boolean;
  fetchSize?: number;
  pageState?: string;
  consistency?: number;
  /** Write time of the statement's cells, microseconds since the epoch (default: the driver's clock). */
  timestamp?: number;
}

/** A statement of a batch. */
export interface CqlStatement {
  query: string;
  params: unknown[];
}

/** Delay between connection attempts at start, doubling up to the maximum. */
const START_RETRY_MS = { first: 500, max: 10_000 };

/**
 * How the driver reconnects to a node it lost. Its default (exponential, 1 s up to 10 min) leaves a node
 * answering 503 for up to 10 minutes after Cassandra is back; capped at 10 s, recovery follows within
 * seconds while an outage costs at most one connection attempt per node every 10 s.
 */
const RECONNECT_MS = { base: 500, max: 10_000 };

/**
 * The one Cassandra session of a node. Connects and migrates the schema at start; if Cassandra is not
 * reachable yet, keeps trying in the background while the node reports not-ready, so a node and its
 * database may start in any order. Driver failures that mean "Cassandra cannot serve now" surface as
 * DependencyUnavailableException (503 with Retry-After).
 */
@Injectable()
export class CassandraConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Cassandra');
  /** The connected, migrated session (undefined until then). */
  private client: Client | undefined;
  /** The session being connected or migrated, so that shutdown can close it too. */
  private connecting: Client | undefined;
  private readyPromise: Promise<void> | undefined;
  private stopped = false;
  private wakeConnectLoop: (() => void) | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Starts connecting; resolves when connected and migrated, or after `waitMs` (then continues in background). */
  async start(waitMs = 60_000): Promise<void> {
    this.readyPromise ??= this.connectLoop();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.readyPromise, waited]);
    clearTimeout(timer);
  }

  get isReady(): boolean {
    return this.client !== undefined;
  }

  get keyspace(): string {
    return this.config.cassandra.keyspace;
  }

  /** Runs one prepared statement. */
  async execute(query: string, params: unknown[] = [], options: CqlOptions): Promise<types.ResultSet> {
    const client = this.requireClient();
    try {
      return await client.execute(query, params, {
        prepare: true,
        isIdempotent: options.idempotent,
        fetchSize: options.fetchSize,
        pageState: options.pageState,
        consistency: options.consistency,
        timestamp: options.timestamp,
      });
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /** Runs statements as one batch (logged by default: all or nothing). */
  async batch(statements: CqlStatement[], options: CqlOptions & { logged?: boolean }): Promise<void> {
    if (statements.length === 0) return;
    const client = this.requireClient();
    try {
      await client.batch(statements, {
        prepare: true,
        logged: options.logged ?? true,
        isIdempotent: options.idempotent,
        consistency: options.consistency,
        timestamp: options.timestamp,
      });
    } catch (err) {
      throw translateDriverError(err);
    }
  }

  /** Throws unless a trivial query succeeds (health check). */
  async ping(): Promise<void> {
    await this.execute('SELECT release_version FROM system.local', [], { idempotent: true });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wakeConnectLoop?.();
    const sessions = [this.client, this.connecting];
    this.client = undefined;
    await Promise.all(sessions.map((c) => c?.shutdown().catch(() => undefined)));
  }

  private requireClient(): Client {
    if (!this.client) throw new DependencyUnavailableException('Cassandra');
    return this.client;
  }

  private async connectLoop(): Promise<void> {
    let delay = START_RETRY_MS.first;
    while (!this.stopped) {
      const client = this.createClient();
      this.connecting = client;
      try {
        await client.connect();
        await applyMigrations(client, this.config.cassandra.keyspace, this.config.cassandra.replicationFactor, this.logger);
        // The driver remembers the keyspace of USE and switches every later pooled connection to it.
        await client.execute(`USE ${this.config.cassandra.keyspace}`);
        if (this.stopped) return; // shutdown came meanwhile and closes `connecting`
        this.client = client;
        this.logger.log({ msg: 'connected', keyspace: this.config.cassandra.keyspace });
        return;
      } catch (err) {
        this.logger.warn({ msg: 'Cassandra not available yet, retrying', error: (err as Error).message, retryInMs: delay });
        await client.shutdown().catch(() => undefined);
      } finally {
        this.connecting = undefined;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeConnectLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeConnectLoop = undefined;
      delay = Math.min(delay * 2, START_RETRY_MS.max);
    }
  }

  private createClient(): Client {
    const { contactPoints, localDataCenter, username, password } = this.config.cassandra;
    const client = new Client({
      contactPoints,
      localDataCenter,
      authProvider: username ? new auth.PlainTextAuthProvider(username, password ?? '') : undefined,
      socketOptions: { connectTimeout: 5000, readTimeout: 12000 },
      protocolOptions: { maxSchemaAgreementWaitSeconds: 30 },
      queryOptions: { consistency: types.consistencies.localQuorum },
      policies: { reconnection: new policies.reconnection.ExponentialReconnectionPolicy(RECONNECT_MS.base, RECONNECT_MS.max, false) },
    });
    // cassandra-driver 4.10: after an outage of every node, the control connection re-creates the Host of its
    // contact point and replaces the old one without closing it; the old pool then keeps reconnecting and a
    // 200 ms timer alive for good (a leak per outage, and the process can no longer exit). The replaced host
    // is announced as removed: shut its pool down for good (shutdown(true) only drains, and a drained pool
    // returns to its initial state and reconnects). Hosts the driver removes itself are already closed.
    client.on('hostRemove', (host: { shutdown?: (waitForPending: boolean) => Promise<void> }) => {
      void host.shutdown?.(false).catch(() => undefined);
    });
    return client;
  }
}
