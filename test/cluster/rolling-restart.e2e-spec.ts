import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { CommandMessage, WelcomeMessage } from '../../src/recorders/recorder-protocol';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { screenRecordingId } from '../../src/recorders/screen-recording-id';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { binaryBody } from '../support/binary-body';
import { opensslCertificate } from '../support/crypto-fixtures';
import { uniqueDn } from '../support/telephony-fixtures';
import { basicAuth, expectEventually } from '../support/test-app';
import { CallOn, ClusterUser, createClusterUser } from './desktop-home-probe';
import { RollingTusUpload } from './rolling-tus-upload';
import { FIXTURE_VOICE_STORE, recordingDocument } from '../support/recording-fixtures';
import { LocalCluster, startLocalCluster } from '../support/local-cluster';
import { postWithRetry, RetriedOutcome } from '../support/retrying-client';

jest.setTimeout(300_000);

const NODES = 3;
/** Insert loops running at once through the balancer, as a Recording Processor with a few workers would. */
const WRITERS = 4;
/** The screen upload: a few MB of random bytes in many small PATCHes. */
const UPLOAD_BYTES = 3 * 1024 * 1024 + 4321;
const PATCH_BYTES = 64 * 1024;
/** Between two PATCHes while nodes restart, so the upload spans the whole rolling restart. */
const PATCH_PACING_MS = 300;

/** What the recorder heard, in arrival order: command frames (resends included) and welcome snapshots. */
type Heard = { kind: 'command'; command: CommandMessage } | { kind: 'welcome'; welcome: WelcomeMessage };

/**
 * Issue 15, rolling restart, on a real 3-node cluster behind HAProxy (`npm run cluster:start`): every node is
 * restarted one after the other with `npm run cluster:restart-node -- <n>` (SIGTERM by pid: the node drains,
 * HAProxy takes it out, requests in flight finish; then the same command starts it again) while, all through
 * the balancer,
 * - recording metadata inserts run (a Recording Processor with a few workers, documented retry);
 * - an agent's desktop session is up, its reference recorder connected (reconnecting through the balancer when
 *   its node goes), and a recorded simulator call on the agent's DN is paused, resumed and released;
 * - a tus upload of random bytes runs as many small PATCHes, resuming with HEAD after any failed PATCH.
 * Counts operations tried, acknowledged and verified afterwards: no acknowledged write lost, no operation failed
 * beyond its documented retry, one screen recording for the call that ends stopped/stored, the stored file's
 * SHA-256 equal to the source's.
 */
describe('rolling restart of a 3-node cluster under inserts, a recorded call and an upload', () => {
  let cluster: LocalCluster;
  let ops: string;
  let ccid: string;
  let agent: ClusterUser;
  let dn: string;
  let recorder: RecorderClient | undefined;

  beforeAll(async () => {
    cluster = await startLocalCluster(NODES);
    ops = basicAuth(cluster.opsUsername, cluster.opsPassword);
    const lb = cluster.lbUrl;
    ccid = (await request(lb).post('/api/v2/ops/contact-centers').set('Authorization', ops).send({ name: 'rolling restart' }).expect(200)).body.contactCenter.id;
    await request(lb).put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`).set('Authorization', ops).send({ store: [{ webDAV: { storagePath: FIXTURE_VOICE_STORE } }] }).expect(200);
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', ops).send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }).expect(200);
    // Uploads are encrypted for the contact center's certificate (the first PATCH needs one).
    const certificate = opensslCertificate('rolling-restart');
    await request(lb)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', ops)
      .send({ certificate: readFileSync(certificate.certPath, 'utf8'), privateKey: readFileSync(certificate.keyPath, 'utf8'), activate: true })
      .expect(200);
    agent = await createClusterUser(lb, ops, ccid, 'rolling');
    dn = uniqueDn();
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/dns`).set('Authorization', ops).send({ dn, switch: 'SIP_Switch' }).expect(200);
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/places`).set('Authorization', ops).send({ name: `Place_${dn}`, dns: [dn], agents: [] }).expect(200);
    await sim('dn', { number: dn, record: true });
  });

  afterAll(async () => {
    await recorder?.close();
    await cluster?.stop();
  });

  async function sim(command: string, body: Record<string, unknown>): Promise<unknown> {
    return (await request(cluster.simControlUrl).post(`/commands/${command}`).send(body).expect(200)).body;
  }

  /** A desktop request through the balancer with the client retry every RWS client is documented to do. */
  async function desktop(path: string, body: object): Promise<void> {
    const outcome = await postWithRetry(cluster.lbUrl, path, agent.bearer, body);
    expect({ path, body, status: outcome.status }).toEqual({ path, body, status: 200 });
  }

  it('restarting every node in turn loses no acknowledged insert, no recorder command, no uploaded byte; counts tried / acknowledged / verified', async () => {
    const lb = cluster.lbUrl;
    const pidsBefore = cluster.nodeUrls.map((_, i) => cluster.pidOf(`node${i + 1}`));

    // (a) The agent's session, started through the balancer; its recorder connected through the balancer.
    await desktop('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'], place: `Place_${dn}` });
    const heard: Heard[] = [];
    let connections = 0;
    recorder = new RecorderClient({
      url: () => {
        connections++;
        return `${lb.replace(/^http/, 'ws')}${RECORDER_CHANNEL_PATH}`;
      },
      authorization: agent.bearer,
      hello: { clientVersion: '1.0.0', platform: 'test-os', hostname: 'rolling-pc' },
      initialBackoffMs: 50,
      maxBackoffMs: 400,
    });
    const timeline: string[] = [];
    const t0 = Date.now();
    const mark = (what: string) => timeline.push(`${Date.now() - t0}ms ${what}`);
    recorder.on('command', (command: CommandMessage) => {
      heard.push({ kind: 'command', command });
      mark(`command ${command.action}`);
    });
    recorder.on('welcome', (welcome: WelcomeMessage) => {
      heard.push({ kind: 'welcome', welcome });
      mark(`welcome ${welcome.desired?.state ?? 'idle'}`);
    });
    await recorder.connect();
    const call = (await sim('call', { from: '+16175550199', to: dn })) as CallOn;
    await sim('answer', { call: call.connId, dn });
    const recordingId = screenRecordingId({ ccid, userName: agent.userName }, call.callUuid);
    await expectEventually(() => expect(recorder!.recording).toEqual({ recordingId, callUuid: call.callUuid, state: 'recording' }), 20_000);

    // (b) The upload, for the call's screen recording (its agent's own); its last PATCH waits for the stop.
    const file = randomBytes(UPLOAD_BYTES);
    const upload = new RollingTusUpload(lb, agent.bearer, file, PATCH_BYTES);
    await upload.create(recordingId);
    let restarting = true;
    let restartsBegun = 0;
    let callStopped = false;
    // A quarter of the file more while each node restarts (paced); the last quarter once the call is stopped.
    const uploaded = upload.run(async (offset) => {
      const allowed = () => (restarting ? (file.length * restartsBegun) / (NODES + 1) : callStopped ? file.length : (file.length * NODES) / (NODES + 1));
      while (allowed() < file.length && offset + PATCH_BYTES > allowed()) await new Promise((r) => setTimeout(r, 100));
      if (restarting) await new Promise((r) => setTimeout(r, PATCH_PACING_MS));
    });
    uploaded.catch(() => undefined); // awaited below; a refusal must not go unhandled meanwhile

    // Inserts, as before.
    const acknowledged: string[] = [];
    const failed: RetriedOutcome[] = [];
    const retried: RetriedOutcome['retries'] = [];
    let tried = 0;
    let running = true;
    const writer = async () => {
      while (running) {
        const doc = recordingDocument();
        tried++;
        const outcome = await postWithRetry(lb, `/internal-api/contact-centers/${ccid}/recordings`, ops, doc);
        retried.push(...outcome.retries);
        if (outcome.status === 200) acknowledged.push(doc.id as string);
        else failed.push(outcome);
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    const restarted: number[] = [];
    const patchesDuringRestart: number[] = [];
    try {
      // Inserts flow before the first restart and after the last one.
      while (acknowledged.length < 50) await new Promise((r) => setTimeout(r, 50));
      for (let index = 1; index <= NODES; index++) {
        const before = acknowledged.length;
        const patchesBefore = upload.counts.acknowledged;
        mark(`restart node${index}`);
        restartsBegun = index;
        await cluster.restartNode(index);
        mark(`node${index} back`);
        restarted.push(acknowledged.length - before);
        patchesDuringRestart.push(upload.counts.acknowledged - patchesBefore);
        // The agent's desktop pauses after the first restart and resumes after the second, through the balancer.
        if (index === 1) {
          mark('pause');
          await desktop(`/api/v2/me/calls/${call.callUuid}`, { operationName: 'PauseCallRecording' });
          await expectEventually(() => expect(recorder!.recording).toEqual({ recordingId, callUuid: call.callUuid, state: 'paused' }), 20_000);
        }
        if (index === 2) {
          mark('resume');
          await desktop(`/api/v2/me/calls/${call.callUuid}`, { operationName: 'ResumeCallRecording' });
          await expectEventually(() => expect(recorder!.recording).toEqual({ recordingId, callUuid: call.callUuid, state: 'recording' }), 20_000);
        }
      }
      restarting = false;
      mark('release');
      await sim('release', { call: call.connId });
      await expectEventually(() => expect(recorder!.recording).toBeNull(), 20_000);
      callStopped = true;
      const after = acknowledged.length;
      while (acknowledged.length < after + 50) await new Promise((r) => setTimeout(r, 50));
    } finally {
      restarting = false;
      callStopped = true;
      running = false;
      await Promise.all(writers);
    }
    await uploaded;

    const pidsAfter = cluster.nodeUrls.map((_, i) => cluster.pidOf(`node${i + 1}`));
    let verified = 0;
    const missing: string[] = [];
    for (const id of acknowledged) {
      const read = await request(lb).get(`/api/v2/ops/contact-centers/${ccid}/recordings/${id}`).set('Authorization', ops);
      if (read.status === 200 && read.body.recording?.id === id) verified++;
      else missing.push(`${id}: ${read.status}`);
    }

    // The recorder's view: distinct commands in order, and the last desired state it was given.
    const commands = [...new Map(heard.flatMap((h) => (h.kind === 'command' ? [[h.command.commandId, h.command] as const] : []))).values()];
    const last = heard.at(-1);
    const lastDesired = last?.kind === 'welcome' ? (last.welcome.desired ?? 'idle') : last?.command.action === 'stop' ? 'idle' : last?.command.action;
    const screenRecordings = (await request(lb).get('/api/v2/screen-recordings').query({ ccid, callUuid: call.callUuid }).set('Authorization', ops).expect(200)).body.recordings as {
      id: string;
      state: string;
      mediaFiles: { mediaId: string }[];
    }[];
    const media = screenRecordings[0]?.mediaFiles[0];
    const played = media
      ? ((await request(lb).get(`/api/v2/screen-recordings/${recordingId}/play/${encodeURIComponent(media.mediaId)}`).query({ ccid }).set('Authorization', ops).buffer(true).parse(binaryBody).expect(200)).body as Buffer)
      : Buffer.alloc(0);

    const counts = {
      inserts: { tried, acknowledged: acknowledged.length, verified, failed: failed.length, retried: retried.length, cut: retried.filter((r) => r.cut).length, acknowledgedDuringEachRestart: restarted },
      recorder: { commandFrames: heard.filter((h) => h.kind === 'command').length, distinctCommands: commands.map((c) => c.action), welcomes: heard.filter((h) => h.kind === 'welcome').length, connections, lastDesired },
      upload: { ...upload.counts, acknowledgedDuringEachRestart: patchesDuringRestart },
      screenRecordings: screenRecordings.map((r) => `${r.id === recordingId ? 'the call’s' : r.id} ${r.state}`),
    };
    process.stdout.write(`rolling restart: ${JSON.stringify(counts)}\nrecorder timeline: ${timeline.join(', ')}\n`);

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

    // (a) Each change of the call's recording reached the recorder exactly once, in order — no second `start`
    // from a home taking the session over (it continues the published state), none after the stop — and the
    // last desired state it was given is idle.
    expect(commands.map((c) => `${c.action} ${c.recordingId === recordingId ? 'the call’s' : c.recordingId}`)).toEqual(['start', 'pause', 'resume', 'stop'].map((a) => `${a} the call’s`));
    expect(lastDesired).toBe('idle');
    expect(recorder.recording).toBeNull();
    // No phantom: nothing but this recording was ever named to the recorder.
    expect(new Set(heard.map((h) => (h.kind === 'command' ? h.command.recordingId : (h.welcome.desired?.recordingId ?? recordingId))))).toEqual(new Set([recordingId]));
    // One screen recording for (agent, call): stopped by the call's end, then stored by the upload.
    expect(screenRecordings.map((r) => ({ id: r.id, state: r.state }))).toEqual([{ id: recordingId, state: 'stored' }]);

    // (b) Every byte arrived once: the stored file, played back through the balancer, is the source.
    expect(upload.counts.acknowledged).toBeGreaterThan(NODES);
    expect(createHash('sha256').update(played).digest('hex')).toBe(upload.sha256);
  });
});
