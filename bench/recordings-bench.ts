/**
 * P5/P6 figures for voice recording metadata (performance.md), side by side in one run:
 * - inserts/s through HTTP (one request per recording, as the Recording Processor does) on the embedded
 *   store and on Cassandra, against raw cassandra-driver prepared writes of the same rows;
 * - search latency p50/p99 (100-row pages over HTTP) by agent + window, by wildcard number, by CallUUID.
 *
 * Run: CASSANDRA_CONTACT_POINTS=127.0.0.1:19042 CASSANDRA_KEYSPACE=rws_bench \
 *        npm run bench:recordings -- [recordings=10000] [insertsPerRound=1500]
 * (without CASSANDRA_CONTACT_POINTS only the embedded figures are measured).
 * Writes bench/results/recordings-bench.json.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { Client } from 'cassandra-driver';
import { factsOf } from '../src/recordings/recording-facts';
import { parseInsertDocument } from '../src/recordings/recording-insert.validation';
import { mergeRecording } from '../src/recordings/recording-merge';
import { chunkStatements, entryStatements } from '../src/persistence/cassandra/cassandra-recording-entries';
import { createContactCenter } from '../test/support/recording-fixtures';
import { startTestApp, TestApp } from '../test/support/test-app';
import { testConfig } from '../test/support/test-config';
import { resultsDir } from './lib/report';
import { cassandraSettled } from './lib/cassandra-settled';
import { agentsOf, documents, httpInsertRate, pool, round2, searchKinds, storeInsertRate } from './lib/recording-workload';

const TOTAL = Number(process.argv[2] ?? 10_000);
/** Recordings per contender per round of the insert comparison. */
const HTTP_INSERTS = Number(process.argv[3] ?? 1500);
const CONCURRENCY = 64;
const SEARCHES = 200;


/**
 * The same rows the Cassandra adapter writes, straight through the driver: the id row (a plain insert where
 * the adapter needs a compare-and-set, unless `idRow` is 'conditional'), then the lookup entries in the
 * same unlogged batches, sent at once.
 */
async function rawCassandraRate(docs: Record<string, unknown>[], withLookups: boolean, idRow: 'plain' | 'conditional' = 'plain'): Promise<number> {
  const driver = new Client({ contactPoints: (process.env.CASSANDRA_CONTACT_POINTS ?? '').split(','), localDataCenter: 'datacenter1', keyspace: process.env.CASSANDRA_KEYSPACE });
  await driver.connect();
  const ccid = randomUUID();
  const rows = docs.map((doc) => mergeRecording(undefined, parseInsertDocument(doc, ccid)));
  const listedDays = new Set<string>();
  const started = performance.now();
  await pool(rows, CONCURRENCY, async (rec) => {
    const facts = factsOf(rec);
    const stamp = Date.now() * 1000;
    const insert = 'INSERT INTO recordings_by_id (ccid, id, region, start_time, version, stamp, doc) VALUES (?, ?, ?, ?, ?, ?, ?)';
    await driver.execute(idRow === 'plain' ? insert : `${insert} IF NOT EXISTS`, [ccid, rec.id, rec.region, new Date(facts.startMs), 1, stamp, JSON.stringify(rec)], { prepare: true });
    if (withLookups) {
      // Like the adapter, a day already listed by this client is not listed again.
      const statements = entryStatements(ccid, rec.id, undefined, facts).filter((s) => !s.listedDay || !listedDays.has(s.listedDay));
      await Promise.all(chunkStatements(statements).map((chunk) => driver.batch(chunk, { prepare: true, logged: false, timestamp: stamp })));
      for (const s of statements) if (s.listedDay) listedDays.add(s.listedDay);
    }
  });
  const rate = rows.length / ((performance.now() - started) / 1000);
  await driver.shutdown();
  return rate;
}

const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Insert rates, interleaved round by round so that the shared machine's noise hits every contender alike:
 * HTTP (one request per recording), the store alone, and — on Cassandra — the raw driver writing the
 * same rows. Each round uses fresh recordings.
 */
async function insertRates(backend: 'embedded' | 'cassandra', app: TestApp, ccid: string, perRound: number) {
  const rounds: Record<string, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const seed = 100 + round;
    const entry: Record<string, number> = {};
    if (backend === 'cassandra') {
      entry.rawSameRows = round2(await rawCassandraRate(documents(seed * 10 + 1, perRound), true));
      entry.rawIdRowOnly = round2(await rawCassandraRate(documents(seed * 10 + 2, perRound), false));
      // Context: the same rows with the id row written by compare-and-set, as the adapter must (no HTTP, no merge).
      entry.rawSameRowsLwt = round2(await rawCassandraRate(documents(seed * 10 + 5, perRound), true, 'conditional'));
    }
    entry.http = round2(await httpInsertRate(app, ccid, documents(seed * 10 + 3, perRound), CONCURRENCY));
    entry.store = round2(await storeInsertRate(app, ccid, documents(seed * 10 + 4, perRound), CONCURRENCY));
    if (entry.rawSameRows) {
      entry.ratioHttpToRaw = round2(entry.http / entry.rawSameRows);
      entry.ratioStoreToRaw = round2(entry.store / entry.rawSameRows);
      entry.ratioHttpToRawLwt = round2(entry.http / entry.rawSameRowsLwt);
    }
    rounds.push(entry);
    console.log(backend, 'insert round', round + 1, JSON.stringify(entry));
  }
  const summary: Record<string, number> = {};
  for (const key of Object.keys(rounds[0])) summary[key] = median(rounds.map((r) => r[key]));
  return { rounds, median: summary };
}

async function benchBackend(backend: 'embedded' | 'cassandra', docs: Record<string, unknown>[]) {
  const app = await startTestApp(testConfig({ metadata: backend }));
  try {
    const inserts = await insertRates(backend, app, await createContactCenter(app), HTTP_INSERTS);
    // The search data set: its own contact center, filled through the store.
    const ccid = await createContactCenter(app);
    await storeInsertRate(app, ccid, docs, CONCURRENCY);
    if (backend === 'cassandra') console.log('cassandra settled after the inserts', JSON.stringify(await cassandraSettled(app)));
    const search = await searchKinds(app, ccid, SEARCHES, agentsOf(docs), docs.map((d) => d.id as string));
    console.log(backend, 'search', JSON.stringify(search));
    return { inserts, search };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const docs = documents(1, TOTAL);
  const results: Record<string, unknown> = { recordings: TOTAL, insertsPerRound: HTTP_INSERTS, rounds: ROUNDS, concurrency: CONCURRENCY, searchesPerKind: SEARCHES, loadAverage: os.loadavg() };
  results.embedded = await benchBackend('embedded', docs);
  if (process.env.CASSANDRA_CONTACT_POINTS) results.cassandra = await benchBackend('cassandra', docs);
  writeFileSync(join(resultsDir(), 'recordings-bench.json'), JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
