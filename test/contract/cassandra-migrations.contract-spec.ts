import { Logger } from '@nestjs/common';
import { Client } from 'cassandra-driver';
import { randomBytes } from 'node:crypto';
import { CassandraConnection } from '../../src/persistence/cassandra/cassandra-connection';
import { MIGRATIONS } from '../../src/persistence/cassandra/migrations';
import { testConfig } from '../support/test-config';

describe('Cassandra schema migrations (cassandra only)', () => {
  // A keyspace of its own, dropped afterwards: this suite is about creating a schema from nothing.
  const keyspace = `rws_migrations_${randomBytes(6).toString('hex')}`;
  const config = testConfig({ metadata: 'cassandra', env: { CASSANDRA_KEYSPACE: keyspace } });
  const connections: CassandraConnection[] = [];
  let admin: Client;

  const startNode = async () => {
    const connection = new CassandraConnection(config);
    connections.push(connection);
    await connection.start(120_000);
    return connection;
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    admin = new Client({ contactPoints: config.cassandra.contactPoints, localDataCenter: config.cassandra.localDataCenter });
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.onApplicationShutdown()));
    await admin?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 120_000 });
    await admin?.shutdown();
  }, 60_000);

  it('lets two nodes migrate the same fresh keyspace at once: both succeed, each version applied once', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    expect(a.isReady).toBe(true);
    expect(b.isReady).toBe(true);

    const applied = (await admin.execute(`SELECT version, name FROM ${keyspace}.schema_migrations`)).rows.map((r) => [r.version, r.name]);
    expect(applied.sort((x, y) => x[0] - y[0])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    const tables = (await admin.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true })).rows.map(
      (r) => r.table_name as string,
    );
    expect(tables).toEqual(expect.arrayContaining(['schema_migrations', 'schema_lock', 'contact_centers', 'contact_center_settings']));
    expect((await admin.execute(`SELECT id FROM ${keyspace}.schema_lock`)).rowLength).toBe(0);

    // Both sessions serve statements on the new schema.
    for (const node of [a, b]) {
      await expect(node.execute('SELECT id FROM contact_centers LIMIT 1', [], { idempotent: true })).resolves.toBeDefined();
    }
  }, 180_000);

  it('applies nothing again when a node starts on an up-to-date keyspace', async () => {
    const before = (await admin.execute(`SELECT version, applied_at FROM ${keyspace}.schema_migrations`)).rows.map((r) => `${r.version} ${r.applied_at.toISOString()}`);
    const c = await startNode();
    expect(c.isReady).toBe(true);
    const after = (await admin.execute(`SELECT version, applied_at FROM ${keyspace}.schema_migrations`)).rows.map((r) => `${r.version} ${r.applied_at.toISOString()}`);
    expect(after.sort()).toEqual(before.sort());
  }, 120_000);
});
