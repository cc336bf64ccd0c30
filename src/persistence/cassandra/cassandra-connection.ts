import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { auth, Client, errors, types } from 'cassandra-driver';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import { applyMigrations } from './migrator';

/** Options of one CQL execution. Every statement is prepared. */
export interface CqlOptions {
  /** Safe to retry/speculate: true for reads and plain upserts, false for LWT and counters. */
  idempotent: boolean;
  fetchSize?: number;
  pageState?: string;
  consistency?: number;
}

/** A statement of a batch. */
export interface CqlStatement {
  query: string;
  params: unknown[];
}

/**
 * The one Cassandra session of a node. Connects and migrates the schema at start; if Cassandra is not
 * reachable yet, keeps trying in the background while the node reports not-ready, so a node and its
 * database may start in any order. Driver failures surface as DependencyUnavailableException (503).
 */
@Injectable()
export class CassandraConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Cassandra');
  private client: Client | undefined;
  private ready = false;
  private readyPromise: Promise<void> | undefined;
  private stopped = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Starts connecting; resolves when connected and migrated, or after `waitMs` (then continues in background). */
  async start(waitMs = 60_000): Promise<void> {
    this.readyPromise ??= this.connectLoop();
    await Promise.race([this.readyPromise, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }

  get isReady(): boolean {
    return this.ready;
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
      });
    } catch (err) {
      throw translate(err);
    }
  }

  /** Runs statements as one batch (logged by default: all or nothing). */
  async batch(statements: CqlStatement[], options: CqlOptions & { logged?: boolean }): Promise<void> {
    if (statements.length === 0) return;
    const client = this.requireClient();
    try {
      await client.batch(statements, { prepare: true, logged: options.logged ?? true, isIdempotent: options.idempotent });
    } catch (err) {
      throw translate(err);
    }
  }

  /** Throws unless a trivial query succeeds (health check). */
  async ping(): Promise<void> {
    await this.execute('SELECT release_version FROM system.local', [], { idempotent: true });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.shutdown().catch(() => undefined);
  }

  private requireClient(): Client {
    if (!this.client || !this.ready) throw new DependencyUnavailableException('Cassandra');
    return this.client;
  }

  private async connectLoop(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      try {
        const client = this.createClient();
        await client.connect();
        await applyMigrations(client, this.config.cassandra.keyspace, this.config.cassandra.replicationFactor, this.logger);
        await client.execute(`USE ${this.config.cassandra.keyspace}`);
        this.client = client;
        this.ready = true;
        this.logger.log({ msg: 'connected', keyspace: this.config.cassandra.keyspace });
        return;
      } catch (err) {
        this.logger.warn({ msg: 'Cassandra not available yet, retrying', error: (err as Error).message, retryInMs: delay });
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  private createClient(): Client {
    const { contactPoints, localDataCenter, username, password } = this.config.cassandra;
    return new Client({
      contactPoints,
      localDataCenter,
      authProvider: username ? new auth.PlainTextAuthProvider(username, password ?? '') : undefined,
      socketOptions: { connectTimeout: 5000, readTimeout: 12000 },
      protocolOptions: { maxSchemaAgreementWaitSeconds: 30 },
      queryOptions: { consistency: types.consistencies.localQuorum },
    });
  }
}

/** Driver errors that mean "Cassandra cannot serve now" become 503; anything else is a bug (500). */
function translate(err: unknown): Error {
  if (
    err instanceof errors.NoHostAvailableError ||
    err instanceof errors.OperationTimedOutError ||
    (err instanceof errors.ResponseError &&
      [types.responseErrorCodes.unavailableException, types.responseErrorCodes.readTimeout, types.responseErrorCodes.writeTimeout, types.responseErrorCodes.overloaded].includes(err.code))
  ) {
    return new DependencyUnavailableException('Cassandra', err);
  }
  return err as Error;
}
