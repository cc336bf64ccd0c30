/**
 * P6 at scale and its P7 growth: one contact center on Cassandra grows through the given sizes (cumulative:
 * each step inserts only the difference, through the RecordingStore), and at each size the P6 searches
 * (100-row pages over HTTP: agent + window, phone number with `*`, CallUUID) are timed. Prints p50/p99 per
 * size and the slope of p99 per 100k recordings between the smallest and the largest size. Searches start
 * once Cassandra has finished the flushes and compactions the inserts caused.
 *
 * Run (Cassandra from `npm run services:start`, env from .run/services.env):
 *   npm run bench:search -- [--sizes 10000,100000,300000] [--searches 200] [--smoke]
 * Writes bench/results/search-growth.json.
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { createContactCenter } from '../test/support/recording-fixtures';
import { startTestApp } from '../test/support/test-app';
import { testConfig } from '../test/support/test-config';
import { cassandraSettled } from './lib/cassandra-settled';
import { agentsOf, documents, round2, searchKinds, storeInsertRate } from './lib/recording-workload';
import { report } from './lib/report';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const SMOKE = process.argv.includes('--smoke');
const SIZES = arg('sizes', SMOKE ? '200,400,800' : '10000,100000,300000').split(',').map(Number);
const SEARCHES = Number(arg('searches', SMOKE ? '10' : '200'));
const BATCH = 10_000;
const CONCURRENCY = 64;

async function main(): Promise<void> {
  const app = await startTestApp(testConfig({ metadata: 'cassandra', env: { CASSANDRA_KEYSPACE: process.env.CASSANDRA_KEYSPACE ?? 'rws_bench' } }));
  const rows: Record<string, unknown>[] = [];
  const load: number[][] = [];
  try {
    const ccid = await createContactCenter(app);
    const agents = new Set<string>();
    const ids: string[] = [];
    let inserted = 0;
    let batchSeed = 1000;
    for (const size of SIZES) {
      const t0 = performance.now();
      const before = inserted;
      // Fresh seeds per batch: ids are `G{seed}X{n}`, so batches never collide; memory holds one batch.
      while (inserted < size) {
        const docs = documents(batchSeed++, Math.min(BATCH, size - inserted));
        await storeInsertRate(app, ccid, docs, CONCURRENCY);
        agentsOf(docs).forEach((a) => agents.add(a));
        for (const d of docs) if (ids.length < 50_000 || Math.random() < 0.05) ids.push(d.id as string);
        inserted += docs.length;
      }
      const insertPerSecond = round2((inserted - before) / ((performance.now() - t0) / 1000));
      const settled = await cassandraSettled(app);
      const search = await searchKinds(app, ccid, SEARCHES, [...agents], ids);
      load.push(loadavg());
      for (const [kind, figures] of Object.entries(search)) rows.push({ recordings: size, kind, ...figures, target: 'p99 ≤ 50 ms', met: figures.p99 <= 50 });
      console.log(JSON.stringify({ recordings: size, insertPerSecond, compactionWait: settled, search }));
    }
    const slopes = Object.fromEntries(
      [...new Set(rows.map((r) => r.kind as string))].map((kind) => {
        const series = rows.filter((r) => r.kind === kind);
        const first = series[0];
        const last = series[series.length - 1];
        const perHundredK = ((last.p99 as number) - (first.p99 as number)) / (((last.recordings as number) - (first.recordings as number)) / 100_000);
        return [kind, { p99MsPer100kRecordings: round2(perHundredK), p99: series.map((r) => r.p99), sizes: series.map((r) => r.recordings) }];
      }),
    );
    report('search-growth', rows, { smoke: SMOKE, searchesPerKind: SEARCHES, loadAverage: load, slopes });
    console.table(Object.entries(slopes).map(([kind, s]) => ({ kind, ...s, p99: s.p99.join(' → ') })));
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
