import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ScreenRecording } from '../../src/screen-recordings/screen-recording';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * The screen-recording search applies access while it walks and pages with a token (finding 9): a supervisor
 * who may see only a few old recordings among 1,200 newer ones gets them, page by page, never an empty page
 * while matches exist and never a silent cut at 1,000 rows.
 */
describe('screen-recording search paging for a restricted supervisor', () => {
  let rws: TestApp;
  let people: IdentityFixture;
  const userName = `shared-${randomUUID().slice(0, 6)}`;
  let visibleIds: string[];

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    people = await createIdentityFixture(rws);
    const store = rws.app.get(ScreenRecordingStore);
    const now = new Date().toISOString();
    const make = (i: number, hierarchy: string): ScreenRecording => ({
      id: randomUUID(),
      ccid: people.ccid,
      region: 'region1',
      userName,
      agentId: `a-${i}`,
      agentHierarchy: hierarchy,
      callUuid: `CALLPG${i}`,
      connId: '0001',
      startTime: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      state: 'stored',
      mediaFiles: [],
      nonDelete: false,
      createdAt: now,
      updatedAt: now,
    });
    // The 5 oldest are under /EMEA/Sales (sue's group), the 1,200 newer ones under /APAC.
    const visible = Array.from({ length: 5 }, (_, i) => make(i, `/EMEA/Sales/agent${i}`));
    const hidden = Array.from({ length: 1200 }, (_, i) => make(100 + i, `/APAC/agent${i}`));
    for (const r of [...visible, ...hidden]) await store.create(r);
    visibleIds = visible.sort((a, b) => b.startTime.localeCompare(a.startTime)).map((r) => r.id);
  });
  afterAll(() => rws.close());

  const search = (query: string) => request(rws.url).get(`/api/v2/screen-recordings?userName=${userName}&${query}`).set('Authorization', people.sue.basic).expect(200);

  it('finds the visible recordings behind 1,200 hidden newer ones', async () => {
    const page = await search('limit=100');
    expect(page.body.recordings.map((r: { id: string }) => r.id)).toEqual(visibleIds);
    expect(page.body.nextPageToken).toBeUndefined();
  });

  it('pages through them with nextPageToken, each page full until the last', async () => {
    const seen: string[] = [];
    let query = 'limit=2';
    for (let i = 0; i < 5; i++) {
      const page = await search(query);
      seen.push(...page.body.recordings.map((r: { id: string }) => r.id));
      if (!page.body.nextPageToken) break;
      expect(page.body.recordings).toHaveLength(2);
      expect(page.body.links.next).toContain('pageToken=');
      query = `limit=2&pageToken=${encodeURIComponent(page.body.nextPageToken)}`;
    }
    expect(seen).toEqual(visibleIds);
  });

  it('refuses a token of another search', async () => {
    const first = await search('limit=2');
    const other = await request(rws.url)
      .get(`/api/v2/screen-recordings?userName=someone-else&limit=2&pageToken=${encodeURIComponent(first.body.nextPageToken)}`)
      .set('Authorization', people.sue.basic)
      .expect(400);
    expect(other.body.statusMessage).toMatch(/^Parameter 'pageToken' is invalid/);
  });
});
