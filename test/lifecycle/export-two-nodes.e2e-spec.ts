import { randomBytes, randomUUID } from 'node:crypto';
import { client } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { freshTarget, nodeStorageContactCenter, remoteSha256, seedRecordings, webDavClient } from './export-fixtures';

const RECORDINGS = 120;

/**
 * Two nodes on one Cassandra keyspace and one WebDAV (their shared recording storage), both looking for export
 * jobs every 100 ms: the job's lease lets one run it at a time, so every recording is written once (an export
 * never overwrites: a second node writing the same recording would fail it as "already exists", and its
 * counts would exceed the selection).
 */
describe('export job on two nodes', () => {
  const nodes: TestApp[] = [];
  const webdav = webDavClient();

  beforeAll(async () => {
    const env = {
      RWS_EXPORT_POLL_SECONDS: '0.1',
      RWS_EXPORT_RECORDINGS_PER_SECOND: '100',
      RWS_RETENTION_INTERVAL_SECONDS: '0',
      RWS_WEBHOOK_ALLOW_PRIVATE: 'true',
      // One master key for the cluster, as scripts/cluster/start.sh gives: either node opens the target password the other sealed.
      RWS_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    for (let i = 0; i < 2; i++) nodes.push(await startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav', env })));
  }, 120_000);
  afterAll(async () => {
    webdav.close();
    for (const node of nodes) await node.close();
  });

  it('runs the job on one node at a time: every recording exported once, byte-exact', async () => {
    const [a, b] = nodes;
    const ccid = await nodeStorageContactCenter(a);
    const partition = `/two-nodes-${randomUUID().slice(0, 8)}`;
    const seeded = await seedRecordings(a, ccid, { count: RECORDINGS, partition });
    const { folder, target } = await freshTarget(webdav);
    const id = ((await client(b).post(`/api/v2/ops/contact-centers/${ccid}/exports`, { filters: { partition }, target })).body.export as { id: string }).id;
    let job: { state: string; progress: Record<string, number> } = { state: '', progress: {} };
    await expectEventually(async () => {
      job = (await client(a).get(`/api/v2/ops/contact-centers/${ccid}/exports/${id}`)).body.export as typeof job;
      expect(job.state).toBe('finished');
    }, 60_000, 100);
    expect(job.progress).toMatchObject({ total: RECORDINGS, exported: RECORDINGS, failed: 0 });
    for (const r of seeded) expect(await remoteSha256(webdav, `${folder}/${r.id}/${r.mediaFileId}.mp3`)).toBe(r.sha256);
  });
});
