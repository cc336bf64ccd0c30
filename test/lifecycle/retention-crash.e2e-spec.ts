import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, createContactCenter } from '../support/recording-fixtures';
import { expectEventually } from '../support/test-app';
import { DAY_MS, dryRunIds, postRecording } from './lifecycle-fixtures';
import { NodeProcess } from './node-process';

const RECORDINGS = 20;

/**
 * A purge killed with SIGKILL half-way resumes in the next process from its checkpoint: every recording the
 * dry run listed is deleted exactly once (receipts list each once, the audit log has one delete each), none
 * is skipped, and the held one stays.
 */
describe('retention purge after a crash', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rws-retention-crash-'));
  const node = new NodeProcess(dataDir, {
    RWS_RETENTION_INTERVAL_SECONDS: '0.5',
    RWS_RETENTION_LEASE_SECONDS: '2',
    RWS_RETENTION_DELETES_PER_SECOND: '5',
  });

  afterAll(async () => {
    await node.stop();
  });

  it('resumes without deleting twice or skipping', async () => {
    let app = await node.start();
    let http = client(app);
    const ccid = await createContactCenter(app);
    const old = Date.now() - 100 * DAY_MS;
    const ids: string[] = [];
    for (let i = 0; i < RECORDINGS; i++) ids.push(await postRecording(app, ccid, old - i * 60_000));
    const held = await postRecording(app, ccid, old);
    await http.post(`/api/v2/ops/contact-centers/${ccid}/recordings/${held}`, { operationName: 'applyNonDelete' });

    const policies = `/api/v2/ops/contact-centers/${ccid}/retention-policies`;
    const policy = { name: 'ninety days', enabled: false, action: { type: 'delete', afterDays: 90 } };
    const policyId = ((await http.post(policies, policy)).body.policy as { id: string }).id;
    const listed = await dryRunIds(app, ccid, policyId, 7);
    expect([...listed].sort()).toEqual([...ids].sort());
    await http.put(`${policies}/${policyId}`, { ...policy, enabled: true });

    // Kill the node (no shutdown hooks) once the run is under way but far from done.
    let before: Record<string, unknown> = {};
    await expectEventually(
      async () => {
        before = ((await http.get(`${policies}/${policyId}/runs`)).body.runs as Record<string, unknown>[])[0];
        expect(before?.deleted).toBeGreaterThanOrEqual(3);
      },
      30_000,
      20,
    );
    await node.kill();
    expect(before.state).toBe('running');
    expect(before.deleted).toBeLessThan(RECORDINGS);

    app = await node.start();
    http = client(app);
    let run: Record<string, unknown> = {};
    await expectEventually(async () => {
      const runs = (await http.get(`${policies}/${policyId}/runs`)).body.runs as Record<string, unknown>[];
      run = runs.find((r) => r.id === before.id)!;
      expect(run.state).toBe('finished');
    }, 60_000);
    expect(run).toMatchObject({ deleted: RECORDINGS, heldByLegalHold: 1 });

    for (const id of ids) expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${id}`)).status).toBe(404);
    expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${held}`)).status).toBe(200);

    const receiptIds = run.receiptIds as string[];
    const purged: string[] = [];
    for (const id of receiptIds) {
      const receipt = (await http.get(`/api/v2/ops/contact-centers/${ccid}/receipts/${id}`)).body.receipt as { recordings: { id: string }[] };
      purged.push(...receipt.recordings.map((r) => r.id));
    }
    expect(purged.sort()).toEqual([...ids].sort());

    const audit = (await http.get(`/api/v2/ops/contact-centers/${ccid}/audit-log?limit=1000`)).body.entries as { action: string; actor: string; objectId: string; outcome: string }[];
    const deletes = audit.filter((e) => e.action === 'delete' && e.actor === 'system:retention');
    expect(deletes.every((e) => e.outcome === 'success')).toBe(true);
    expect(new Set(deletes.map((e) => e.objectId)).size).toBe(deletes.length);
  }, 240_000);
});
