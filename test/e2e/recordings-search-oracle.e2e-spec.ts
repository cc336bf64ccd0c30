import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import { RecordingStore } from '../../src/recordings/recording.store';
import { client, createContactCenter } from '../support/recording-fixtures';
import { generateQueries, generateRecordings, GeneratedRecording, oracle, SearchQuery } from '../support/recording-generator';
import { startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';

const RECORDINGS = 10_000;
const THROUGH_HTTP = 300;
const QUERIES = 138;

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

describe.each(METADATA_BACKENDS)('recording search against a brute-force oracle (%s)', (backend) => {
  let app: TestApp;
  let ccid: string;
  let http: ReturnType<typeof client>;
  const generated = generateRecordings(42, RECORDINGS, { region: 'region1', otherRegion: 'region2' });
  const truths = generated.map((g) => g.truth);

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata: backend }));
    http = client(app);
    ccid = await createContactCenter(app);
    const store = app.app.get(RecordingStore);
    const viaStore = generated.slice(0, RECORDINGS - THROUGH_HTTP);
    const viaHttp = generated.slice(RECORDINGS - THROUGH_HTTP);
    const started = Date.now();
    await pool(viaStore, 64, async (g: GeneratedRecording) => {
      for (const post of g.posts) {
        const insert = parseInsertDocument(post, ccid);
        await store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert), { likelyNew: true });
      }
    });
    await pool(viaHttp.filter((g) => g.truth.region === 'region1'), 16, async (g) => {
      for (const post of g.posts) {
        const response = await http.post(`/internal-api/contact-centers/${ccid}/recordings`, post);
        if (response.status !== 200) throw new Error(`insert ${g.truth.id}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    });
    // Same ids in another contact center: never part of this one's answers.
    const other = await createContactCenter(app);
    await pool(generated.slice(0, 50), 16, async (g) => {
      const insert = parseInsertDocument(g.posts[0], other);
      await store.upsert(other, insert.id, (current) => mergeRecording(current, insert));
    });
    process.stdout.write(`[${backend}] inserted ${RECORDINGS} recordings in ${Date.now() - started} ms\n`);
  }, 600_000);
  afterAll(() => app?.close());

  /** Every page of a search, following nextPageToken; checks page sizes and the envelope on the way. */
  async function allPages(query: SearchQuery, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 400; page++) {
      const params = new URLSearchParams({ ...query, limit: String(limit), ...(token ? { pageToken: token } : {}) });
      const response = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?${params}`);
      expect(response.status).toBe(200);
      const recordings = response.body.recordings as { id: string }[];
      expect(recordings.length).toBeLessThanOrEqual(limit);
      ids.push(...recordings.map((r) => r.id));
      token = response.body.nextPageToken as string | undefined;
      if (!token) return ids;
      expect(recordings.length).toBe(limit); // the bound per request is never reached at this size
    }
    throw new Error('too many pages');
  }

  const queries = generateQueries(7, truths, QUERIES);

  it('answers every query exactly like the oracle, paging with limit 37 without duplicates or gaps', async () => {
    let compared = 0;
    let rows = 0;
    for (const query of queries) {
      const expected = oracle(truths, query, 'region1');
      // Page with 37 through anything up to ~40 pages; bigger answers page with 1000 (still to the end).
      const limit = expected.length <= 37 * 40 ? 37 : 1000;
      const actual = await allPages(query, limit);
      expect(new Set(actual).size).toBe(actual.length);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        const missing = expected.filter((id) => !actual.includes(id)).slice(0, 5);
        const extra = actual.filter((id) => !expected.includes(id)).slice(0, 5);
        throw new Error(`query ${JSON.stringify(query)}: expected ${expected.length}, got ${actual.length}; missing ${missing}; extra ${extra}`);
      }
      compared++;
      rows += expected.length;
    }
    expect(compared).toBe(QUERIES);
    expect(rows).toBeGreaterThan(5_000); // the queries are not all trivially empty
  }, 900_000);

  it('returns nothing of another region and the first page of a broad search in order', async () => {
    const otherRegion = truths.find((t) => t.region === 'region2')!;
    expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?callUuid=${otherRegion.id}`)).body.recordings).toEqual([]);
    const query = { callerPhoneNumber: '*' };
    const first = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?${new URLSearchParams(query)}`);
    expect((first.body.recordings as { id: string }[]).map((r) => r.id)).toEqual(oracle(truths, query, 'region1').slice(0, 100));
  }, 120_000);
});
