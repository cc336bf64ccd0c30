import { randomUUID } from 'node:crypto';
import type { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { client } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { freshTarget, nodeStorageContactCenter, remoteSha256, seedRecordings, webDavClient } from './export-fixtures';
import { DAY_MS, dryRunIds, runPolicyNow } from './lifecycle-fixtures';

/**
 * A retention policy with action "export then delete": the purge exports each due recording to the policy's
 * WebDAV folder, reads it back, and deletes only what verified. Source: the node's filesystem storage
 * (documents posted through the API); target: the shared Apache WebDAV.
 */
describe('retention: export then delete', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  const webdav: WebDavClient = webDavClient();

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_RETENTION_INTERVAL_SECONDS: '0', RWS_RETENTION_DELETES_PER_SECOND: '1000', RWS_EXPORT_RECORDINGS_PER_SECOND: '1000', RWS_WEBHOOK_ALLOW_PRIVATE: 'true' } }));
    http = client(app);
    ccid = await nodeStorageContactCenter(app);
  }, 60_000);
  afterAll(async () => {
    webdav.close();
    await app?.close();
  });

  it('exports, verifies and deletes what is due; a recording whose export failed is not deleted; the dry run lists them all', async () => {
    const partition = `/etd-${randomUUID().slice(0, 8)}`;
    const old = Date.now() - 40 * DAY_MS;
    const due = await seedRecordings(app, ccid, { count: 6, partition, startMs: old });
    const [unexportable] = await seedRecordings(app, ccid, { count: 1, partition, startMs: old - 3_600_000, missingMedia: true });
    const [recent] = await seedRecordings(app, ccid, { count: 1, partition, startMs: Date.now() - DAY_MS });
    const { folder, target } = await freshTarget(webdav);

    const policies = `/api/v2/ops/contact-centers/${ccid}/retention-policies`;
    const created = await http.post(policies, { name: 'archive then delete', match: { partitions: [partition] }, action: { type: 'exportThenDelete', afterDays: 30, target } });
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.body)).not.toContain(target.password);
    const policyId = (created.body.policy as { id: string }).id;
    expect(JSON.stringify((await http.get(`${policies}/${policyId}`)).body)).not.toContain(target.password);

    const listed = await dryRunIds(app, ccid, policyId, 3);
    expect(listed.sort()).toEqual([...due.map((r) => r.id), unexportable.id].sort());

    const run = await runPolicyNow(app, ccid, policyId);
    expect(run).toMatchObject({ deleted: 6, exported: 6, exportFailed: 1, exportFailures: [{ recordingId: unexportable.id, reason: expect.stringContaining('missing') }] });

    const recording = (id: string) => `/api/v2/ops/contact-centers/${ccid}/recordings/${id}`;
    for (const r of due) {
      expect((await http.get(recording(r.id))).status).toBe(404);
      expect(await remoteSha256(webdav, `${folder}/${r.id}/${r.mediaFileId}.mp3`)).toBe(r.sha256);
      expect(await webdav.head(`${folder}/${r.id}/metadata.json`)).toBeDefined();
    }
    // Its export failed: it is kept, and nothing of it stays in the target.
    expect((await http.get(recording(unexportable.id))).status).toBe(200);
    expect(await webdav.head(`${folder}/${unexportable.id}/metadata.json`)).toBeUndefined();
    expect((await http.get(recording(recent.id))).status).toBe(200);

    const receipts = (await http.get(`/api/v2/ops/contact-centers/${ccid}/receipts`)).body.receipts as { runId?: string; count: number }[];
    expect(receipts.filter((r) => r.runId === run.id).reduce((n, r) => n + r.count, 0)).toBe(6);
  });

  it('deletes nothing while the target cannot be reached: the run stops with the error and the next pass retries', async () => {
    const partition = `/etd-down-${randomUUID().slice(0, 8)}`;
    const due = await seedRecordings(app, ccid, { count: 2, partition, startMs: Date.now() - 40 * DAY_MS });
    const { target } = await freshTarget(webdav);
    const policies = `/api/v2/ops/contact-centers/${ccid}/retention-policies`;
    const unreachable = { ...target, url: 'http://127.0.0.1:9/exports/' };
    const policyId = ((await http.post(policies, { name: 'target down', match: { partitions: [partition] }, action: { type: 'exportThenDelete', afterDays: 30, target: unreachable } })).body.policy as { id: string }).id;
    await http.post(`${policies}/${policyId}/runs`, {});
    await expectEventually(async () => {
      const [run] = (await http.get(`${policies}/${policyId}/runs`)).body.runs as Record<string, unknown>[];
      expect(run).toMatchObject({ state: 'running', deleted: 0, lastError: expect.any(String) });
    }, 30_000);
    for (const r of due) expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${r.id}`)).status).toBe(200);
    await http.delete(`${policies}/${policyId}`);
  });
});
