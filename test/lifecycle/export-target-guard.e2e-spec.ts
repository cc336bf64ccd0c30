import { randomUUID } from 'node:crypto';
import { createContactCenter } from '../support/identity-fixtures';
import { client } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { queuedExportJob, RawLifecycleRows } from '../support/raw-lifecycle-rows';
import { testConfig } from '../support/test-config';

/**
 * Without RWS_WEBHOOK_ALLOW_PRIVATE, export folders (export jobs and exportThenDelete policies) on private,
 * loopback or link-local hosts are refused as webhook targets are (SSRF: RWS would PUT and PROPFIND there).
 */
describe('export targets by default', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  const refused = [
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/x/',
    'http://127.0.0.1:9/x/',
    'http://localhost/x/',
    'https://10.1.2.3/x/',
    'http://192.168.1.1/x/',
    'http://[fd00::1]/x/',
    'http://[::ffff:127.0.0.1]/x/',
    'http://0.0.0.0/x/',
    'http://no-such-host.invalid/x/',
  ];

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_RETENTION_INTERVAL_SECONDS: '0', RWS_EXPORT_POLL_SECONDS: '0.2' } }));
    http = client(app);
    ccid = await createContactCenter(app);
  }, 60_000);
  afterAll(() => app?.close());

  it('refuses export jobs into private, loopback and link-local folders with a 400 naming target.url, creating nothing', async () => {
    const base = `/api/v2/ops/contact-centers/${ccid}/exports`;
    for (const url of [...refused, 'ftp://example.com/x/', 'http://user:pw@example.com/x/']) {
      const response = await http.post(base, { filters: { partition: '/any' }, target: { type: 'webdav', url, username: 'u', password: 'sekret-pw' } });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(String(response.body.statusMessage)).toContain("'target.url'");
      expect(JSON.stringify(response.body)).not.toContain('sekret-pw');
    }
    expect((await http.get(base)).body.exports).toEqual([]);
  });

  it('refuses exportThenDelete policies into such folders, on create and on replace', async () => {
    const base = `/api/v2/ops/contact-centers/${ccid}/retention-policies`;
    const body = (url: string) => ({ name: `p-${randomUUID().slice(0, 8)}`, match: {}, action: { type: 'exportThenDelete', afterDays: 30, target: { type: 'webdav', url } } });
    for (const url of refused) {
      const response = await http.post(base, body(url));
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(String(response.body.statusMessage)).toContain("'action.target.url'");
    }
    const kept = await http.post(base, { name: 'keep', match: {}, action: { type: 'keep' } });
    expect(kept.status).toBe(200);
    const id = (kept.body.policy as { id: string }).id;
    const replaced = await http.put(`${base}/${id}`, body('http://169.254.169.254/x/'));
    expect(replaced.status).toBe(400);
    expect((await http.get(`${base}/${id}`)).body.policy).toMatchObject({ action: { type: 'keep' } });
    expect(((await http.get(base)).body.policies as unknown[]).length).toBe(1);
  });

  it('does not run a stored job whose folder is on loopback (created while the opt-in was on): it waits with the reason', async () => {
    const job = queuedExportJob(ccid, { selection: { kind: 'search', filters: { partition: '/any' } }, target: { type: 'webdav', url: new URL(`exports-${randomUUID()}/`, process.env.WEBDAV_URL).href, username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD }, verify: false });
    await new RawLifecycleRows(app.app, 'embedded').writeExportJob(job);
    await expectEventually(async () => {
      const view = (await http.get(`/api/v2/ops/contact-centers/${ccid}/exports/${job.id}`)).body.export as { state: string; lastError?: string; progress: { exported: number } };
      expect(view.lastError).toContain('private or loopback');
      expect(view.state).not.toBe('finished');
      expect(view.progress.exported).toBe(0);
    }, 10_000, 100);
    await http.post(`/api/v2/ops/contact-centers/${ccid}/exports/${job.id}/cancel`, {});
  });
});
