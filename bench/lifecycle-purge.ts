/**
 * Retention purge throughput (issue 17) on the embedded store, side by side in one run:
 * - a purge of N due recordings by a retention run (deletes/s unthrottled) against N deletes of the same
 *   kind through `DELETE …/recordings/{id}` one after another (the raw path the purge reuses);
 * - search p50/p99 (by agent, 100-row pages) while idle and while the purge runs.
 * Recordings are metadata only (no media to remove): the figures are the lifecycle machinery's own cost.
 *
 * Run: npm run bench:lifecycle -- [recordings=2000]
 * Writes bench/results/lifecycle-purge.json.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { client, createContactCenter, recordingDocument } from '../test/support/recording-fixtures';
import { startTestApp, TestApp } from '../test/support/test-app';
import { testConfig } from '../test/support/test-config';
import { latencySummary, resultsDir } from './lib/report';

const N = Number(process.argv[2] ?? 2000);
const DAY_MS = 86_400_000;

async function insert(app: TestApp, ccid: string, count: number, agentId: string): Promise<string[]> {
  const http = client(app);
  const ids: string[] = [];
  const start = Date.now() - 100 * DAY_MS;
  for (let i = 0; i < count; i++) {
    const startTime = new Date(start - i * 1000).toISOString();
    const stopTime = new Date(start - i * 1000 + 60_000).toISOString();
    const doc = recordingDocument({ startTime, stopTime, eventHistory: [] });
    const media = (doc.mediaFiles as Record<string, unknown>[])[0];
    delete media.mediaDescriptor;
    Object.assign(media, { startTime, stopTime, parameters: { agentId } });
    const response = await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
    if (response.status !== 200) throw new Error(`insert answered ${response.status}: ${JSON.stringify(response.body)}`);
    ids.push(doc.id as string);
  }
  return ids;
}

async function searchLatencies(app: TestApp, ccid: string, until: () => boolean, max = 200, gapMs = 0): Promise<number[]> {
  const http = client(app);
  const samples: number[] = [];
  while (!until() && samples.length < max) {
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    const t = performance.now();
    await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?agentId=searcher&limit=100`);
    samples.push(performance.now() - t);
  }
  return samples;
}

/** Inserts N due recordings in a new contact center and times one retention run deleting them. */
async function purge(app: TestApp, count: number, onStart: () => void): Promise<{ deleted: number; seconds: number; recordingsPerSecond: number }> {
  const http = client(app);
  const ccid = await createContactCenter(app);
  await insert(app, ccid, count, 'purge');
  const policy = await http.post(`/api/v2/ops/contact-centers/${ccid}/retention-policies`, { name: 'bench', action: { type: 'delete', afterDays: 30 } });
  const policyId = (policy.body.policy as { id: string }).id;
  const dryRun = await http.get(`/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}/dry-run?limit=1`);
  if (dryRun.body.dueNow !== count) throw new Error(`dry run: ${JSON.stringify(dryRun.body)}`);
  const t = performance.now();
  await http.post(`/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}/runs`, {});
  onStart();
  let run: { state: string; deleted: number } | undefined;
  while (run?.state !== 'finished') {
    await new Promise((r) => setTimeout(r, 100));
    run = ((await http.get(`/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}/runs`)).body.runs as { state: string; deleted: number }[])[0];
  }
  const seconds = (performance.now() - t) / 1000;
  // Disabled, so that the next run of the scheduler leaves it alone.
  await http.put(`/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}`, { name: 'bench', enabled: false, action: { type: 'delete', afterDays: 30 } });
  return { deleted: run.deleted, seconds: round(seconds), recordingsPerSecond: round(run.deleted / seconds) };
}

async function main(): Promise<void> {
  const app = await startTestApp(testConfig({ env: { RWS_RETENTION_INTERVAL_SECONDS: '0', RWS_RETENTION_DELETES_PER_SECOND: '10000' } }));
  try {
    const http = client(app);
    const searchCc = await createContactCenter(app);
    await insert(app, searchCc, 1000, 'searcher');

    const rawCc = await createContactCenter(app);
    const rawIds = await insert(app, rawCc, N, 'raw');
    const t = performance.now();
    for (const id of rawIds) {
      const response = await http.delete(`/api/v2/ops/contact-centers/${rawCc}/recordings/${id}`);
      if (response.status !== 200) throw new Error(`delete answered ${response.status}`);
    }
    const rawSeconds = (performance.now() - t) / 1000;

    const idle = await searchLatencies(app, searchCc, () => false, 100);

    const alone = await purge(app, N, () => undefined);
    // The same purge again, with searches running (one at a time, 20 ms apart) to see what it does to them.
    let finished = false;
    let during: Promise<number[]> = Promise.resolve([]);
    const withSearches = await purge(app, N, () => {
      during = searchLatencies(app, searchCc, () => finished, 100_000, 20);
    });
    finished = true;
    const duringSamples = await during;
    const result = {
      recordings: N,
      purge: alone,
      purgeWhileSearching: withSearches,
      rawDeletes: { deleted: rawIds.length, seconds: round(rawSeconds), recordingsPerSecond: round(rawIds.length / rawSeconds) },
      searchMs: { idle: latencySummary(idle), duringPurge: latencySummary(duringSamples) },
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(join(resultsDir(), 'lifecycle-purge.json'), JSON.stringify(result, null, 2));
  } finally {
    await app.close();
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

void main();
