import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { CommandMessage, WelcomeMessage } from '../../src/recorders/recorder-protocol';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { agentKeyOf } from '../../src/recorders/recording-signals';
import { screenRecordingId } from '../../src/recorders/screen-recording-id';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { LocalCluster, startLocalCluster } from '../support/local-cluster';
import { uniqueDn } from '../support/telephony-fixtures';
import { basicAuth, expectEventually } from '../support/test-app';

jest.setTimeout(180_000);

/** What one recorder heard: every command frame (resends included) and every welcome snapshot. */
interface Heard {
  frames: CommandMessage[];
  welcomes: WelcomeMessage[];
}

/**
 * Issue 15, screen follows voice across nodes, on a real local cluster (`npm run cluster:start`: 3 nodes,
 * HAProxy, Redis, the SIP Server simulator pair, the shared Cassandra and WebDAV): the agent's desktop session
 * is on node 1 (its home: only node 1 registers the DN), the recorder on node 2; the simulator records the call.
 */
describe('recorder commands across nodes (3-node cluster)', () => {
  let cluster: LocalCluster;
  let ops: string;
  let ccid: string;
  const recorders: RecorderClient[] = [];

  beforeAll(async () => {
    cluster = await startLocalCluster(3);
    ops = basicAuth(cluster.opsUsername, cluster.opsPassword);
    ccid = (await request(cluster.lbUrl).post('/api/v2/ops/contact-centers').set('Authorization', ops).send({ name: 'cluster recorders' }).expect(200)).body.contactCenter.id;
    await request(cluster.lbUrl).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', ops).send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }).expect(200);
  });

  afterAll(async () => {
    await Promise.all(recorders.map((r) => r.close()));
    await cluster?.stop();
  });

  const sim = async (command: string, body: Record<string, unknown>) => (await request(cluster.simControlUrl).post(`/commands/${command}`).send(body).expect(200)).body;
  const wsUrl = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}${RECORDER_CHANNEL_PATH}`;

  /** An agent with a recorded DN and a desktop session started on node 1 (the agent's home). */
  async function agentHomedOnNode1(prefix: string): Promise<{ userName: string; auth: string; dn: string }> {
    const userName = `${prefix}-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const dn = uniqueDn();
    await request(cluster.lbUrl).post(`/api/v2/ops/contact-centers/${ccid}/users`).set('Authorization', ops).send({ userName, password, roles: ['agent'], agentId: `a-${dn}` }).expect(200);
    await request(cluster.lbUrl).post(`/api/v2/ops/contact-centers/${ccid}/dns`).set('Authorization', ops).send({ dn, switch: 'SIP_Switch' }).expect(200);
    await request(cluster.lbUrl).post(`/api/v2/ops/contact-centers/${ccid}/places`).set('Authorization', ops).send({ name: `Place_${dn}`, dns: [dn], agents: [] }).expect(200);
    await sim('dn', { number: dn, record: true });
    const auth = basicAuth(userName, password);
    await request(cluster.nodeUrls[0]).post('/api/v2/me').set('Authorization', auth).send({ operationName: 'StartContactCenterSession', channels: ['voice'], place: `Place_${dn}` }).expect(200);
    return { userName, auth, dn };
  }

  /** A recorder (no place in its hello: it must not start a second session on its own node). */
  function recorder(auth: string, url: string | (() => string)): { client: RecorderClient; heard: Heard } {
    const client = new RecorderClient({ url, authorization: auth, hello: { clientVersion: '1.0.0', platform: 'test-os', hostname: 'cluster-pc' }, initialBackoffMs: 50, maxBackoffMs: 400 });
    const heard: Heard = { frames: [], welcomes: [] };
    client.on('command', (c: CommandMessage) => heard.frames.push(c));
    client.on('welcome', (w: WelcomeMessage) => heard.welcomes.push(w));
    recorders.push(client);
    return { client, heard };
  }

  /** Asked on node 1 (alive throughout): the balancer may still pick a killed node until its health checks fail. */
  async function screenRecordingsOf(callUuid: string): Promise<{ id: string; state: string }[]> {
    const found = await request(cluster.nodeUrls[0]).get('/api/v2/screen-recordings').query({ ccid, callUuid }).set('Authorization', ops).expect(200);
    return found.body.recordings as { id: string; state: string }[];
  }

  /** The operator's recorder list of the contact center, asked on `url`. */
  async function recorderList(url: string): Promise<{ recorders: { userName: string; node?: string }[]; unreachableNodes?: string[] }> {
    return (await request(url).get(`/api/v2/ops/contact-centers/${ccid}/recorders`).set('Authorization', ops).expect(200)).body;
  }

  const distinct = (heard: Heard) => [...new Map(heard.frames.map((c) => [c.commandId, c])).values()];

  it('desktop on node 1, recorder on node 2: start, pause, resume, stop reach the recorder once each, in order; one screen recording', async () => {
    const agent = await agentHomedOnNode1('split');
    const { client, heard } = recorder(agent.auth, wsUrl(cluster.nodeUrls[1]));
    await client.connect();

    // The operator's list is the cluster's, whichever node answers: the recorder, named with its node (node 2).
    for (const url of [cluster.nodeUrls[0], cluster.nodeUrls[2], cluster.lbUrl]) {
      const list = await recorderList(url);
      expect(list.recorders.filter((r) => r.userName === agent.userName)).toEqual([expect.objectContaining({ node: cluster.nodeUrls[1] })]);
      expect(list.unreachableNodes).toBeUndefined();
    }
    // An agent is refused on every node, also when it claims to be a node asking for its own part only.
    for (const url of cluster.nodeUrls) {
      await request(url).get(`/api/v2/ops/contact-centers/${ccid}/recorders`).set('Authorization', agent.auth).expect(403);
      await request(url).get(`/api/v2/ops/contact-centers/${ccid}/recorders`).set('Authorization', agent.auth).set('x-rws-forwarded-by', 'node').expect(403);
    }

    const call = (await sim('call', { from: '+16175550100', to: agent.dn })) as { connId: string; callUuid: string };
    await sim('answer', { call: call.connId, dn: agent.dn });
    await expectEventually(() => expect(client.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = client.recording!.recordingId;
    expect(recordingId).toBe(screenRecordingId({ ccid, userName: agent.userName }, call.callUuid));

    // Pause and resume through the desktop API of the home node, as the agent's desktop does.
    await request(cluster.nodeUrls[0]).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.auth).send({ operationName: 'PauseCallRecording' }).expect(200);
    await expectEventually(() => expect(client.recording).toMatchObject({ recordingId, state: 'paused' }));
    await request(cluster.nodeUrls[0]).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.auth).send({ operationName: 'ResumeCallRecording' }).expect(200);
    await expectEventually(() => expect(client.recording).toMatchObject({ recordingId, state: 'recording' }));
    await sim('release', { call: call.connId });
    await expectEventually(() => expect(client.recording).toBeNull());

    const commands = distinct(heard);
    expect(commands.map((c) => `${c.action} ${c.recordingId}`)).toEqual(['start', 'pause', 'resume', 'stop'].map((a) => `${a} ${recordingId}`));
    await expectEventually(async () => expect(await screenRecordingsOf(call.callUuid)).toEqual([expect.objectContaining({ id: recordingId, state: 'stopped' })]));
    process.stdout.write(`split nodes: ${heard.frames.length} command frames, ${commands.length} distinct commands, ${(await screenRecordingsOf(call.callUuid)).length} screen recording(s)\n`);
  });

  it('a recorder that first connects mid-call on a third node is welcomed with the home’s snapshot from Redis, then gets the stop', async () => {
    const agent = await agentHomedOnNode1('late');
    const call = (await sim('call', { from: '+16175550102', to: agent.dn })) as { connId: string; callUuid: string };
    await sim('answer', { call: call.connId, dn: agent.dn });
    const recordingId = screenRecordingId({ ccid, userName: agent.userName }, call.callUuid);
    await expectEventually(async () => expect(await screenRecordingsOf(call.callUuid)).toEqual([expect.objectContaining({ id: recordingId, state: 'recording' })]));

    const { client, heard } = recorder(agent.auth, wsUrl(cluster.nodeUrls[2]));
    const welcome = await client.connect();
    expect(welcome.desired).toEqual({ recordingId, callUuid: call.callUuid, state: 'recording' });
    await sim('release', { call: call.connId });
    await expectEventually(() => expect(client.recording).toBeNull());
    expect(distinct(heard).map((c) => `${c.action} ${c.recordingId}`)).toEqual([`stop ${recordingId}`]);
    // Told through its welcome on node 3, the home ends the recording `stopped` (not `missing`: a recorder had it).
    await expectEventually(async () => expect(await screenRecordingsOf(call.callUuid)).toEqual([expect.objectContaining({ id: recordingId, state: 'stopped' })]));
  });

  it('a recorder that moves to another node right after a stop is not offered that recording again by a late home’s snapshot', async () => {
    const agent = await agentHomedOnNode1('moved');
    const first = recorder(agent.auth, wsUrl(cluster.nodeUrls[1]));
    await first.client.connect();
    const call = (await sim('call', { from: '+16175550103', to: agent.dn })) as { connId: string; callUuid: string };
    await sim('answer', { call: call.connId, dn: agent.dn });
    await expectEventually(() => expect(first.client.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = first.client.recording!.recordingId;
    await sim('release', { call: call.connId });
    await expectEventually(() => expect(first.client.recording).toBeNull());
    await first.client.close();

    // What a home that still saw the call (a takeover racing the release) would publish: the recording, recording.
    const redis = new Redis(cluster.redisUrl);
    try {
      const key = `rws:recorder-desired:${agentKeyOf({ ccid, userName: agent.userName })}`;
      const seq = (JSON.parse((await redis.get(key)) ?? '{"seq":0}') as { seq: number }).seq;
      await redis.set(key, JSON.stringify({ seq: seq + 1, home: 'late-home', snapshot: { recordingId, callUuid: call.callUuid, connId: call.connId, state: 'recording' } }), 'PX', 30_000);
    } finally {
      redis.disconnect();
    }

    // Node 3 never told this recorder anything; node 2 did tell it to stop.
    const second = recorder(agent.auth, wsUrl(cluster.nodeUrls[2]));
    const welcome = await second.client.connect();
    expect(welcome.desired).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.heard.frames.filter((c) => c.action !== 'stop')).toEqual([]);
    expect(second.client.recording).toBeNull();
  });

  it('kill -9 of the recorder’s node mid-call: the recorder reconnects through the balancer and converges (same id, no phantom, the stop arrives, one screen recording)', async () => {
    const agent = await agentHomedOnNode1('failover');
    // First connection straight to node 2; every later one through the load balancer.
    let attempts = 0;
    const { client, heard } = recorder(agent.auth, () => (attempts++ === 0 ? wsUrl(cluster.nodeUrls[1]) : wsUrl(cluster.lbUrl)));
    await client.connect();

    const call = (await sim('call', { from: '+16175550101', to: agent.dn })) as { connId: string; callUuid: string };
    await sim('answer', { call: call.connId, dn: agent.dn });
    await expectEventually(() => expect(client.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = client.recording!.recordingId;

    process.kill(cluster.pidOf('node2'), 'SIGKILL');
    // Until its presence lapses the dead node is named as not answering (never a failed list); then it is gone.
    const during = await recorderList(cluster.nodeUrls[0]);
    expect(during.unreachableNodes ?? []).toEqual(during.unreachableNodes ? [cluster.nodeUrls[1]] : []);
    // Back on another node, welcomed with the home's snapshot: the same recording, recording.
    await expectEventually(() => expect(heard.welcomes.length).toBeGreaterThanOrEqual(2), 20_000);
    expect(heard.welcomes.at(-1)!.desired).toEqual({ recordingId, callUuid: call.callUuid, state: 'recording' });
    await expectEventually(() => expect(client.recording).toEqual({ recordingId, callUuid: call.callUuid, state: 'recording' }));
    expect(attempts).toBeGreaterThanOrEqual(2);
    await expectEventually(async () => {
      const after = await recorderList(cluster.nodeUrls[0]);
      expect(after.unreachableNodes).toBeUndefined();
      expect(after.recorders.filter((r) => r.userName === agent.userName)).toEqual([expect.objectContaining({ node: expect.not.stringMatching(`^${cluster.nodeUrls[1]}$`) })]);
    }, 10_000);

    await sim('release', { call: call.connId });
    await expectEventually(() => expect(client.recording).toBeNull(), 15_000);

    const commands = distinct(heard);
    expect(commands.map((c) => `${c.action} ${c.recordingId}`)).toEqual([`start ${recordingId}`, `stop ${recordingId}`]);
    // No phantom: nothing but this recording was ever named to the recorder.
    expect(new Set([...heard.frames.map((c) => c.recordingId), ...heard.welcomes.flatMap((w) => (w.desired ? [w.desired.recordingId] : []))])).toEqual(new Set([recordingId]));
    await expectEventually(async () => expect(await screenRecordingsOf(call.callUuid)).toEqual([expect.objectContaining({ id: recordingId, state: 'stopped' })]));
    process.stdout.write(
      `node kill: ${heard.frames.length} command frames, ${commands.length} distinct commands, ${heard.welcomes.length} welcomes, ${attempts} connection attempts, ${(await screenRecordingsOf(call.callUuid)).length} screen recording(s)\n`,
    );
  });
});
