import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import { RecordingStore } from '../../src/recordings/recording.store';
import { generateRecordings, GENERATION_BASE_MS } from '../../test/support/recording-generator';
import type { TestApp } from '../../test/support/test-app';
import type { InsertJob, InsertOutcome } from '../support/http-insert-client';
import type { SearchJob, SearchTiming } from '../support/http-search-client';
import { childJob } from './child-job';
import { percentile } from './report';

/** Shared by the P5/P6 benches (recordings-bench, search-growth): the data set and the measured searches. */

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await work(items[next++]); }));
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** One document per recording (single post), all of the node's region. */
export function documents(seed: number, count: number): Record<string, unknown>[] {
  return generateRecordings(seed, count, { region: 'region1', otherRegion: 'region1' }).map((g) => g.posts[g.posts.length - 1]);
}

/** Inserts through the RecordingStore directly (no HTTP): fills search data sets, splits transport from store. */
/** Posts every document once over HTTP from a load client in its own process (it must not slow the server down); returns inserts per second. */
export async function httpInsertRate(app: TestApp, ccid: string, docs: Record<string, unknown>[], concurrency: number): Promise<number> {
  const result = await childJob<InsertJob, InsertOutcome>('http-insert-client', {
    url: `${app.url}/internal-api/contact-centers/${ccid}/recordings`,
    authorization: app.opsAuth,
    bodies: docs.map((d) => JSON.stringify(d)),
    concurrency,
  });
  if (result.error || result.failures) throw new Error(`inserts failed: ${result.error ?? `${result.failures} × ${result.firstFailure}`}`);
  return docs.length / (result.elapsedMs / 1000);
}

export async function storeInsertRate(app: TestApp, ccid: string, docs: Record<string, unknown>[], concurrency: number): Promise<number> {
  const store = app.app.get(RecordingStore);
  const started = performance.now();
  await pool(docs, concurrency, async (doc) => {
    const insert = parseInsertDocument(doc, ccid);
    await store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert), { likelyNew: true });
  });
  return docs.length / ((performance.now() - started) / 1000);
}

/**
 * p50/p99 of `searches` sequential 100-row searches over HTTP (ops route), after a warm-up with other
 * parameters. The client runs in its own process (node:http), so that it neither runs on the event loop
 * of the RWS under test nor adds its own JSON work to the figures.
 */
export async function searchLatencies(app: TestApp, ccid: string, searches: number, makeQuery: (i: number) => Record<string, string>): Promise<{ p50: number; p99: number; meanRows: number }> {
  const url = (i: number) => `${app.url}/api/v2/ops/contact-centers/${ccid}/recordings?${new URLSearchParams({ ...makeQuery(i), limit: '100' })}`;
  // Warm-up (statement preparation, JIT) with other parameters than the measured ones.
  const urls = [...Array.from({ length: 20 }, (_, i) => url(searches + i)), ...Array.from({ length: searches }, (_, i) => url(i))];
  const outcome = await childJob<SearchJob, { results?: SearchTiming[]; error?: string }>('http-search-client', { urls, authorization: app.opsAuth });
  if (!outcome.results) throw new Error(`search client failed: ${outcome.error}`);
  const failed = outcome.results.find((r) => r.status !== 200);
  if (failed) throw new Error(`search failed: ${failed.status} ${JSON.stringify(failed.error)}`);
  const measured = outcome.results.slice(20);
  const rows = measured.reduce((n, r) => n + r.rows, 0);
  return { p50: round2(percentile(measured.map((r) => r.ms), 50)), p99: round2(percentile(measured.map((r) => r.ms), 99)), meanRows: round2(rows / searches) };
}

/** The P6 search kinds over a data set whose agents and ids are given. */
export async function searchKinds(app: TestApp, ccid: string, searches: number, agents: string[], ids: string[]) {
  const day = 86_400_000;
  return {
    agentWindow: await searchLatencies(app, ccid, searches, (i) => ({ agentId: agents[(i * 7919) % agents.length], startTime: new Date(GENERATION_BASE_MS + (i % 20) * day).toISOString(), endTime: new Date(GENERATION_BASE_MS + ((i % 20) + 7) * day).toISOString() })),
    wildcardPrefix: await searchLatencies(app, ccid, searches, (i) => ({ callerPhoneNumber: `+1617${String(i % 100).padStart(2, '0')}*` })),
    wildcardSuffix: await searchLatencies(app, ccid, searches, (i) => ({ callerPhoneNumber: `*${String(i % 1000).padStart(3, '0')}` })),
    wildcardInfixWindow: await searchLatencies(app, ccid, searches, (i) => ({ callerPhoneNumber: '*555*', startTime: new Date(GENERATION_BASE_MS + (i % 28) * day).toISOString(), endTime: new Date(GENERATION_BASE_MS + ((i % 28) + 1) * day).toISOString() })),
    callUuid: await searchLatencies(app, ccid, searches, (i) => ({ callUuid: ids[(i * 7919) % ids.length] })),
  };
}

/** The agent of each generated document (first media file). */
export function agentsOf(docs: Record<string, unknown>[]): string[] {
  return docs.map((d) => (d.mediaFiles as { parameters: { agentId: string } }[])[0].parameters.agentId);
}
