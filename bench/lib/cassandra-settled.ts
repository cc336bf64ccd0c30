import type { TestApp } from '../../test/support/test-app';
import { CassandraConnection } from '../../src/persistence/cassandra/cassandra-connection';

const POLL_MS = 500;
const MAX_WAIT_MS = 180_000;

/**
 * Waits until Cassandra has no flush or compaction running or queued (two quiet polls in a row), so that
 * searches timed after a bulk insert measure the search, not the compactions the insert left behind.
 * Returns the wait (ms); gives up after 3 minutes and says so.
 */
export async function cassandraSettled(app: TestApp): Promise<{ waitedMs: number; settled: boolean }> {
  const cql = app.app.get(CassandraConnection);
  const started = performance.now();
  let quietPolls = 0;
  while (performance.now() - started < MAX_WAIT_MS) {
    const pools = await cql.execute('SELECT name, active_tasks, pending_tasks FROM system_views.thread_pools', [], { idempotent: true });
    const busy = pools.rows.some((row) => /Compaction|Flush/.test(row.name as string) && Number(row.active_tasks) + Number(row.pending_tasks) > 0);
    quietPolls = busy ? 0 : quietPolls + 1;
    if (quietPolls === 2) return { waitedMs: Math.round(performance.now() - started), settled: true };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { waitedMs: Math.round(performance.now() - started), settled: false };
}
