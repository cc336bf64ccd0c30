import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '../support/identity-fixtures';
import { client, createContactCenter } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { DAY_MS, dryRunIds, postRecording, receiptVerifies, runPolicyNow } from './lifecycle-fixtures';

/** Retention policies through the ops API: CRUD, dry run, a run through the scheduler, signed receipts. */
describe('retention policies, dry run, purge and receipts', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  const base = () => `/api/v2/ops/contact-centers/${ccid}/retention-policies`;

  beforeAll(async () => {
    // Runs only when asked (interval 0), fast enough not to slow the suite.
    app = await startTestApp(testConfig({ env: { RWS_RETENTION_INTERVAL_SECONDS: '0', RWS_RETENTION_DELETES_PER_SECOND: '1000' } }));
    http = client(app);
    ccid = await createContactCenter(app);
  }, 60_000);
  afterAll(() => app?.close());

  it('creates, lists, replaces and deletes policies, each change audited', async () => {
    const created = await http.post(base(), { name: 'sales 90 days', match: { partitions: ['/sales'], callTypes: ['inbound'], minDurationSeconds: 5 }, action: { type: 'delete', afterDays: 90 } });
    expect(created.status).toBe(200);
    const policy = created.body.policy as { id: string; enabled: boolean };
    expect(policy).toMatchObject({ ccid, name: 'sales 90 days', enabled: true, action: { type: 'delete', afterDays: 90 } });
    expect((await http.get(base())).body.policies).toEqual([created.body.policy]);
    const replaced = await http.put(`${base()}/${policy.id}`, { name: 'sales 30 days', enabled: false, action: { type: 'delete', afterDays: 30 } });
    expect(replaced.body.policy).toMatchObject({ id: policy.id, name: 'sales 30 days', enabled: false, match: {}, action: { afterDays: 30 } });
    expect((await http.get(`${base()}/${policy.id}`)).body.policy).toEqual(replaced.body.policy);
    expect((await http.delete(`${base()}/${policy.id}`)).status).toBe(200);
    expect((await http.get(`${base()}/${policy.id}`)).status).toBe(404);
    expect((await http.delete(`${base()}/${policy.id}`)).status).toBe(404);

    const audit = await http.get(`/api/v2/ops/contact-centers/${ccid}/audit-log`);
    const actions = (audit.body.entries as { action: string; objectId: string }[]).filter((e) => e.objectId === policy.id).map((e) => e.action);
    expect(actions.sort()).toEqual(['retentionPolicyCreate', 'retentionPolicyDelete', 'retentionPolicyUpdate']);
  });

  it('refuses bad policies with a 400 naming the field, storing nothing', async () => {
    const bad: [unknown, string][] = [
      [{ match: {}, action: { type: 'delete', afterDays: 1 } }, 'name'],
      [{ name: 'x', action: { type: 'delete' } }, 'action.afterDays'],
      [{ name: 'x', action: { type: 'delete', afterDays: -1 } }, 'action.afterDays'],
      [{ name: 'x', action: { type: 'archive' } }, 'action.type'],
      [{ name: 'x', match: { partitions: 'sales' }, action: { type: 'keep' } }, 'match.partitions'],
      [{ name: 'x', match: { minDurationSeconds: 10, maxDurationSeconds: 5 }, action: { type: 'keep' } }, 'match.minDurationSeconds'],
      [{ name: 'x', match: { media: 'fax' }, action: { type: 'keep' } }, 'match.media'],
      [{ name: 'x', match: { colour: 'red' }, action: { type: 'keep' } }, 'match'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of bad) {
      const response = await http.post(base(), body);
      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(2);
      expect(String(response.body.statusMessage)).toContain(`'${field}'`);
    }
    expect((await http.get(base())).body.policies).toEqual([]);
    expect((await http.get(`${base()}/not-a-uuid/dry-run?days=91`)).status).toBe(404);
  });

  it('is for the ops account only: users and service accounts of the contact center get 403 and change nothing', async () => {
    const admin = await createUser(app, ccid, 'admin', { roles: ['admin', 'supervisor'], permissions: ['applyNonDelete'] });
    const service = await createUser(app, ccid, 'processor', { kind: 'service' });
    for (const who of [admin, service]) {
      const headers = { authorization: who.basic };
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${app.url}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect((await call('POST', base(), { name: 'sneaky', action: { type: 'delete', afterDays: 0 } })).status).toBe(403);
      expect((await call('GET', base())).status).toBe(403);
      expect((await call('GET', `/api/v2/ops/contact-centers/${ccid}/receipts`)).status).toBe(403);
      expect((await call('GET', '/api/v2/ops/receipt-signing-key')).status).toBe(403);
    }
    expect((await http.get(base())).body.policies).toEqual([]);
  });

  it('dry-runs what is due now and on each next day (legal hold and keep policies win), and the run deletes exactly that, with a signed receipt', async () => {
    const cc = await createContactCenter(app);
    const now = Date.now();
    const old = now - 40 * DAY_MS;
    const due = [];
    for (let i = 0; i < 5; i++) due.push(await postRecording(app, cc, old - i * 60_000));
    const held = await postRecording(app, cc, old);
    const vip = await postRecording(app, cc, old, { parameters: { customerTier: 'VIP' } });
    const otherPartition = await postRecording(app, cc, old, { partitions: ['/support'] });
    const tomorrow = await postRecording(app, cc, now - 30 * DAY_MS + DAY_MS / 2);
    const dayAfter = await postRecording(app, cc, now - 30 * DAY_MS + DAY_MS * 1.5);
    const recent = await postRecording(app, cc, now - DAY_MS);
    expect((await http.post(`/api/v2/ops/contact-centers/${cc}/recordings/${held}`, { operationName: 'applyNonDelete' })).status).toBe(200);

    const policies = `/api/v2/ops/contact-centers/${cc}/retention-policies`;
    const keep = await http.post(policies, { name: 'VIP calls stay', match: { attachedData: { customerTier: 'VIP' } }, action: { type: 'keep' } });
    expect(keep.status).toBe(200);
    const created = await http.post(policies, { name: 'sales 30 days', match: { partitions: ['/sales'] }, action: { type: 'delete', afterDays: 30 } });
    const policyId = (created.body.policy as { id: string }).id;

    const horizon = await http.get(`${policies}/${policyId}/dry-run?days=3&limit=2`);
    expect(horizon.status).toBe(200);
    expect(horizon.body).toMatchObject({ statusCode: 0, dueNow: 5, heldByLegalHold: 1, keptByPolicy: 1 });
    expect((horizon.body.upcoming as { count: number }[]).map((d) => d.count)).toEqual([1, 1, 0]);
    expect(horizon.body.recordings).toHaveLength(2);
    expect(horizon.body.nextPageToken).toEqual(expect.any(String));

    const listed = await dryRunIds(app, cc, policyId, 2);
    expect([...listed].sort()).toEqual([...due].sort());
    const keepDryRun = await http.get(`${policies}/${(keep.body.policy as { id: string }).id}/dry-run`);
    expect(keepDryRun.body).toMatchObject({ dueNow: 1, recordings: [{ id: vip }] });

    const run = await runPolicyNow(app, cc, policyId);
    expect(run).toMatchObject({ deleted: 5, heldByLegalHold: 1, keptByPolicy: 1 });
    for (const id of due) expect((await http.get(`/api/v2/ops/contact-centers/${cc}/recordings/${id}`)).status).toBe(404);
    for (const id of [held, vip, otherPartition, tomorrow, dayAfter, recent]) expect((await http.get(`/api/v2/ops/contact-centers/${cc}/recordings/${id}`)).status).toBe(200);

    // Each delete went through the recordings service as the system actor: audited once per recording.
    const audit = (await http.get(`/api/v2/ops/contact-centers/${cc}/audit-log?limit=1000`)).body.entries as { action: string; actor: string; objectId: string; outcome: string }[];
    const deletes = audit.filter((e) => e.action === 'delete' && e.outcome === 'success');
    expect(deletes.map((e) => e.objectId).sort()).toEqual([...due].sort());
    expect(new Set(deletes.map((e) => e.actor))).toEqual(new Set(['system:retention']));
    expect(audit.some((e) => e.action === 'retentionRun' && e.objectId === policyId)).toBe(true);

    // The receipt lists exactly those recordings and verifies with the published key alone.
    const receipts = (await http.get(`/api/v2/ops/contact-centers/${cc}/receipts`)).body.receipts as { id: string; count: number }[];
    expect(receipts).toHaveLength(1);
    expect(receipts[0].count).toBe(5);
    expect(run.receiptIds).toEqual([receipts[0].id]);
    const receipt = (await http.get(`/api/v2/ops/contact-centers/${cc}/receipts/${receipts[0].id}`)).body;
    const document = receipt.document as string;
    const signed = JSON.parse(document) as { recordings: { id: string; media: { sha256?: string }[] }[]; policyId: string; actor: string; ccid: string };
    expect(signed).toMatchObject({ ccid: cc, policyId, actor: 'system:retention', kind: 'purge' });
    expect(signed.recordings.map((r) => r.id).sort()).toEqual([...due].sort());
    expect(signed.recordings.every((r) => r.media[0].sha256?.length === 64)).toBe(true);
    const keyResponse = await fetch(`${app.url}/api/v2/ops/receipt-signing-key`, { headers: { authorization: app.opsAuth } });
    const publicKeyPem = await keyResponse.text();
    expect(publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(receiptVerifies(publicKeyPem, document, receipt.signature as string)).toBe(true);
    expect(receiptVerifies(publicKeyPem, document.replace(due[0], due[0].slice(0, -1) + (due[0].endsWith('X') ? 'Y' : 'X')), receipt.signature as string)).toBe(false);

    // The documented offline check: the raw document and signature, verified by the openssl CLI.
    const dir = mkdtempSync(join(tmpdir(), 'rws-receipt-'));
    const raw = async (suffix: string) => Buffer.from(await (await fetch(`${app.url}/api/v2/ops/contact-centers/${cc}/receipts/${receipts[0].id}/${suffix}`, { headers: { authorization: app.opsAuth } })).arrayBuffer());
    writeFileSync(join(dir, 'receipt.json'), await raw('document'));
    writeFileSync(join(dir, 'receipt.sig'), await raw('signature'));
    writeFileSync(join(dir, 'receipt-key.pem'), publicKeyPem);
    const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'receipt-key.pem', '-rawin', '-in', 'receipt.json', '-sigfile', 'receipt.sig'], { cwd: dir }).toString();
    expect(out).toContain('Signature Verified Successfully');

    // Nothing more is due: a second run deletes nothing and issues no receipt.
    await http.post(`${policies}/${policyId}/runs`, {});
    await expectEventually(async () => {
      const runs = (await http.get(`${policies}/${policyId}/runs`)).body.runs as Record<string, unknown>[];
      expect(runs).toHaveLength(2);
      expect(runs[0]).toMatchObject({ state: 'finished', deleted: 0, heldByLegalHold: 1 });
    });
    expect((await http.get(`/api/v2/ops/contact-centers/${cc}/receipts`)).body.receipts).toHaveLength(1);
  });

  it('matches by label, agent, hierarchy, call type, duration and media kind', async () => {
    const cc = await createContactCenter(app);
    const old = Date.now() - 10 * DAY_MS;
    const outbound = await postRecording(app, cc, old, { callType: 'Outbound', parameters: { agentId: 'agent-x' } });
    await postRecording(app, cc, old, { callType: 'Inbound', parameters: { agentId: 'agent-x' } });
    await postRecording(app, cc, old, { callType: 'Outbound', parameters: { agentId: 'agent-y' } });
    const policies = `/api/v2/ops/contact-centers/${cc}/retention-policies`;
    const dry = async (match: Record<string, unknown>) => {
      const created = await http.post(policies, { name: 'm', enabled: false, match, action: { type: 'delete', afterDays: 1 } });
      expect(created.status).toBe(200);
      return dryRunIds(app, cc, (created.body.policy as { id: string }).id, 100);
    };
    expect(await dry({ callTypes: ['OUTBOUND'], agentIds: ['agent-x'] })).toEqual([outbound]);
    expect(await dry({ agentHierarchies: ['/EMEA'] })).toHaveLength(3);
    expect(await dry({ agentHierarchies: ['/APAC'] })).toHaveLength(0);
    expect(await dry({ minDurationSeconds: 301 })).toHaveLength(0);
    expect(await dry({ maxDurationSeconds: 300 })).toHaveLength(3);
    expect(await dry({ media: 'screen' })).toHaveLength(0);
    expect(await dry({ media: 'voice' })).toHaveLength(3);
    expect(await dry({ labels: ['nope'] })).toHaveLength(0);
  });
});
