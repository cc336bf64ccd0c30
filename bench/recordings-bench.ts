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
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'cassandra-driver';
import { factsOf } from '../src/recordings/recording-facts';
import { parseInsertDocument } from '../src/recordings/recording-insert.validation';
import { mergeRecording } from '../src/recordings/recording-merge';
import { RecordingStore } from '../src/recordings/recording.store';
import { chunkStatements, entryStatements } from '../src/persistence/cassandra/cassandra-recording-entries';
import { client, createContactCenter } from '../test/support/recording-fixtures';
import { generateRecordings, GENERATION_BASE_MS } from '../test/support/recording-generator';
import { startTestApp, TestApp } from '../test/support/test-app';
import { testConfig } from '../test/support/test-config';

const TOTAL = Number(process.argv[2] ?? 10_000);
/** Recordings per contender per round of the insert comparison. */
const HTTP_INSERTS = Number(process.argv[3] ?? 1500);
const CONCURRENCY = 64;
const SEARCHES = 200;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await work(items[next++]); }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One document per recording (single post), all of the node's region. */
function documents(seed: number, count: number): Record<string, unknown>[] {
  return generateRecordings(seed, count, { region: 'region1', otherRegion: 'region1' }).map((g) => g.posts[g.posts.length - 1]);
}

/** Posts every document once over HTTP from a worker thread (the client must not slow the server down). */
async function httpInsertRate(app: TestApp, ccid: string, docs: Record<string, unknown>[]): Promise<number> {
  // Plain JavaScript kept in bench/ (not compiled): resolve it from the source tree when running from dist/.
  const worker = new Worker(join(__dirname, '..', '..', 'bench', 'http-load-worker.js'), {
    workerData: { url: `${app.url}/internal-api/contact-centers/${ccid}/recordings`, authorization: app.opsAuth, bodies: docs.map((d) => JSON.stringify(d)), concurrency: CONCURRENCY },
  });
  const result = await new Promise<{ elapsedMs: number; failures: number; firstFailure?: string; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (result.error || result.failures) throw new Error(`inserts failed: ${result.error ?? `${result.failures} × ${result.firstFailure}`}`);
  return docs.length / (result.elapsedMs / 1000);
}

/** Inserts through the RecordingStore directly (no HTTP), to split the cost between transport and store. */
async function storeInsertRate(app: TestApp, ccid: string, docs: Record<string, unknown>[]): Promise<number> {
  const store = app.app.get(RecordingStore);
  const started = performance.now();
  await pool(docs, CONCURRENCY, async (doc) => {
    const insert = parseInsertDocument(doc, ccid);
    await store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert), { likelyNew: true });
  });
  return docs.length / ((performance.now() - started) / 1000);
}

/** The same rows the Cassandra adapter writes (id row, then the lookup batches), straight through the driver. */
async function rawCassandraRate(docs: Record<string, unknown>[], withLookups: boolean): Promise<number> {
  const driver = new Client({ contactPoints: (process.env.CASSANDRA_CONTACT_POINTS ?? '').split(','), localDataCenter: 'datacenter1', keyspace: process.env.CASSANDRA_KEYSPACE });
  await driver.connect();
  const ccid = randomUUID();
  const rows = docs.map((doc) => mergeRecording(undefined, parseInsertDocument(doc, ccid)));
  const started = performance.now();
  await pool(rows, CONCURRENCY, async (rec) => {
    const facts = factsOf(rec);
    await driver.execute('INSERT INTO recordings_by_id (ccid, id, region, start_time, version, doc) VALUES (?, ?, ?, ?, ?, ?)', [ccid, rec.id, rec.region, new Date(facts.startMs), 1, JSON.stringify(rec)], { prepare: true });
    if (withLookups) {
      for (const chunk of chunkStatements(entryStatements(ccid, rec.id, undefined, facts))) await driver.batch(chunk, { prepare: true, logged: true });
    }
  });
  const rate = rows.length / ((performance.now() - started) / 1000);
  await driver.shutdown();
  return rate;
}

async function searchLatencies(app: TestApp, ccid: string, makeQuery: (i: number) => Record<string, string>): Promise<{ p50: number; p99: number; meanRows: number }> {
  const http = client(app);
  // Warm-up (statement preparation, JIT) with other parameters than the measured ones.
  for (let i = 0; i < 20; i++) await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?${new URLSearchParams({ ...makeQuery(SEARCHES + i), limit: '100' })}`);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const started = performance.now();
    const response = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?${new URLSearchParams({ ...makeQuery(i), limit: '100' })}`);
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`search failed: ${JSON.stringify(response.body)}`);
    rows += (response.body.recordings as unknown[]).length;
  }
  times.sort((a, b) => a - b);
  return { p50: round2(percentile(times, 50)), p99: round2(percentile(times, 99)), meanRows: round2(rows / SEARCHES) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
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
    }
    entry.http = round2(await httpInsertRate(app, ccid, documents(seed * 10 + 3, perRound)));
    entry.store = round2(await storeInsertRate(app, ccid, documents(seed * 10 + 4, perRound)));
    if (entry.rawSameRows) entry.ratioHttpToRaw = round2(entry.http / entry.rawSameRows);
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
    await storeInsertRate(app, ccid, docs);
    const agents = docs.map((d) => (d.mediaFiles as { parameters: { agentId: string } }[])[0].parameters.agentId);
    const day = 86_400_000;
    const search = {
      agentWindow: await searchLatencies(app, ccid, (i) => ({ agentId: agents[(i * 7919) % agents.length], startTime: new Date(GENERATION_BASE_MS + (i % 20) * day).toISOString(), endTime: new Date(GENERATION_BASE_MS + ((i % 20) + 7) * day).toISOString() })),
      wildcardPrefix: await searchLatencies(app, ccid, (i) => ({ callerPhoneNumber: `+1617${String(i % 100).padStart(2, '0')}*` })),
      wildcardSuffix: await searchLatencies(app, ccid, (i) => ({ callerPhoneNumber: `*${String(i % 1000).padStart(3, '0')}` })),
      wildcardInfixWindow: await searchLatencies(app, ccid, (i) => ({ callerPhoneNumber: '*555*', startTime: new Date(GENERATION_BASE_MS + (i % 28) * day).toISOString(), endTime: new Date(GENERATION_BASE_MS + ((i % 28) + 1) * day).toISOString() })),
      callUuid: await searchLatencies(app, ccid, (i) => ({ callUuid: docs[(i * 7919) % docs.length].id as string })),
    };
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
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'recordings-bench.json'), JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
