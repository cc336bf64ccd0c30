import request from 'supertest';
import { basicAuth } from '../support/test-app';
import { FIXTURE_VOICE_STORE, recordingDocument } from '../support/recording-fixtures';
import { LocalCluster, startLocalCluster } from '../support/local-cluster';
import { postWithRetry, RetriedOutcome } from '../support/retrying-client';

jest.setTimeout(300_000);

const NODES = 3;
/** Insert loops running at once through the balancer, as a Recording Processor with a few workers would. */
const WRITERS = 4;

/**
 * Issue 15, rolling restart, on a real 3-node cluster behind HAProxy (`npm run cluster:start`): while recording
 * metadata inserts run through the balancer, every node is restarted one after the other with
 * `npm run cluster:restart-node -- <n>` (SIGTERM by pid: the node drains, HAProxy takes it out, requests in
 * flight finish; then the same command starts it again). Counts operations tried, acknowledged and verified in
 * the store afterwards: no acknowledged write lost, no operation failed beyond the documented client retry, and
 * no request dropped by a stopping node or the balancer (a drained node is out before it stops accepting).
 */
describe('rolling restart of a 3-node cluster under inserts', () => {
  let cluster: LocalCluster;
  let ops: string;
  let ccid: string;

  beforeAll(async () => {
    cluster = await startLocalCluster(NODES);
    ops = basicAuth(cluster.opsUsername, cluster.opsPassword);
    ccid = (await request(cluster.lbUrl).post('/api/v2/ops/contact-centers').set('Authorization', ops).send({ name: 'rolling restart' }).expect(200)).body.contactCenter.id;
    await request(cluster.lbUrl).put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`).set('Authorization', ops).send({ store: [{ webDAV: { storagePath: FIXTURE_VOICE_STORE } }] }).expect(200);
    await request(cluster.lbUrl).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', ops).send({ uris: ['/api/api-supervisor-recording'] }).expect(200);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('restarting every node in turn loses no acknowledged insert and fails no insert beyond its retry; counts tried / acknowledged / verified', async () => {
    const pidsBefore = cluster.nodeUrls.map((_, i) => cluster.pidOf(`node${i + 1}`));
    const acknowledged: string[] = [];
    const failed: RetriedOutcome[] = [];
    const retried: RetriedOutcome['retries'] = [];
    let tried = 0;
    let running = true;
    const writer = async () => {
      while (running) {
        const doc = recordingDocument();
        tried++;
        const outcome = await postWithRetry(cluster.lbUrl, `/internal-api/contact-centers/${ccid}/recordings`, ops, doc);
        retried.push(...outcome.retries);
        if (outcome.status === 200) acknowledged.push(doc.id as string);
        else failed.push(outcome);
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    const restarted: number[] = [];
    try {
      // Inserts flow before the first restart and after the last one.
      while (acknowledged.length < 50) await new Promise((r) => setTimeout(r, 50));
      for (let index = 1; index <= NODES; index++) {
        const before = acknowledged.length;
        await cluster.restartNode(index);
        restarted.push(acknowledged.length - before);
      }
      const after = acknowledged.length;
      while (acknowledged.length < after + 50) await new Promise((r) => setTimeout(r, 50));
    } finally {
      running = false;
      await Promise.all(writers);
    }

    const pidsAfter = cluster.nodeUrls.map((_, i) => cluster.pidOf(`node${i + 1}`));
    let verified = 0;
    const missing: string[] = [];
    for (const id of acknowledged) {
      const read = await request(cluster.lbUrl).get(`/api/v2/ops/contact-centers/${ccid}/recordings/${id}`).set('Authorization', ops);
      if (read.status === 200 && read.body.recording?.id === id) verified++;
      else missing.push(`${id}: ${read.status}`);
    }
    const counts = { tried, acknowledged: acknowledged.length, verified, failed: failed.length, retried: retried.length, cut: retried.filter((r) => r.cut).length, acknowledgedDuringEachRestart: restarted };
    process.stdout.write(`rolling restart: ${JSON.stringify(counts)}\n`);

    pidsAfter.forEach((pid, i) => expect({ node: i + 1, restarted: pid !== pidsBefore[i] }).toEqual({ node: i + 1, restarted: true }));
    // Inserts kept being acknowledged while each node was out.
    restarted.forEach((count, i) => expect({ node: i + 1, acknowledgedDuringRestart: count > 0 }).toEqual({ node: i + 1, acknowledgedDuringRestart: true }));
    expect(failed.map((f) => ({ status: f.status, body: f.body }))).toEqual([]);
    expect(missing).toEqual([]);
    expect(verified).toBe(acknowledged.length);
    // Each operation ends once (acknowledged or failed) and nothing else: every try is accounted for.
    expect(acknowledged.length + failed.length).toBe(tried);
    // A draining node is out of the balancer before it stops accepting: no request was dropped or refused by it.
    expect(retried.filter((r) => r.cut)).toEqual([]);
  });
});
