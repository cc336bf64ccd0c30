import { Client } from 'cassandra-driver';
import { LoggerService } from '@nestjs/common';
import { MIGRATIONS } from './migrations';

const LOCK_TTL_SECONDS = 120;
/** Schema changes on a busy node can take far longer than a query; they are not retried, so wait for them. */
const DDL = { readTimeout: 120_000 };

/**
 * Brings the keyspace to the newest schema version. Each migration is a list of idempotent statements
 * (`IF NOT EXISTS`). Nodes starting together serialise on a lock row taken with a lightweight
 * transaction, and the driver waits for schema agreement after every DDL, so concurrent starts never race on a table.
 */
export async function applyMigrations(client: Client, keyspace: string, replicationFactor: number, logger: LoggerService): Promise<void> {
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`,
    [],
    DDL,
  );
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations (version int PRIMARY KEY, name text, applied_at timestamp)`,
    [],
    DDL,
  );
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.schema_lock (id text PRIMARY KEY, owner text)`, [], DDL);

  const owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  await acquireLock(client, keyspace, owner);
  try {
    const applied = new Set((await client.execute(`SELECT version FROM ${keyspace}.schema_migrations`)).rows.map((r) => r.version as number));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) {
        await client.execute(statement.replace(/\{ks\}/g, keyspace), [], DDL);
      }
      await client.execute(`INSERT INTO ${keyspace}.schema_migrations (version, name, applied_at) VALUES (?, ?, toTimestamp(now()))`, [migration.version, migration.name], {
        prepare: true,
      });
      logger.log({ msg: 'schema migration applied', version: migration.version, name: migration.name }, 'Cassandra');
    }
  } finally {
    // Best effort: a failed release must not hide the migration's own error, and the lock expires anyway.
    await client
      .execute(`DELETE FROM ${keyspace}.schema_lock WHERE id = 'migrations' IF owner = ?`, [owner], { prepare: true })
      .catch((err: Error) => logger.warn({ msg: 'could not release the schema migration lock', error: err.message }, 'Cassandra'));
  }
}

async function acquireLock(client: Client, keyspace: string, owner: string): Promise<void> {
  const deadline = Date.now() + (LOCK_TTL_SECONDS + 30) * 1000;
  while (Date.now() < deadline) {
    const result = await client.execute(
      `INSERT INTO ${keyspace}.schema_lock (id, owner) VALUES ('migrations', ?) IF NOT EXISTS USING TTL ${LOCK_TTL_SECONDS}`,
      [owner],
      { prepare: true },
    );
    if (result.wasApplied()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('could not take the schema migration lock');
}
