import Redis from 'ioredis';
import request from 'supertest';
import WebSocket from 'ws';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { opensslCertificate } from '../support/crypto-fixtures';
import { readFileSync } from 'node:fs';
import { basicAuth } from '../support/test-app';
import { uniqueDn } from '../support/telephony-fixtures';
import { LocalCluster, startLocalCluster } from '../support/local-cluster';
import { CallOn, ClusterUser, createClusterUser, HomeProbe, waitUntil } from './desktop-home-probe';

jest.setTimeout(180_000);

const NODES = 3;
/** The design's goal for DNs to be registered again after their home was killed, with room for 2 shared cores. */
const TAKEOVER_BOUND_MS = 15_000;
const HOP = 'X-RWS-Forwarded-By';

/**
 * Issue 15, one home node per agent, on a real 3-node cluster (scripts/cluster/start.sh: HAProxy round robin,
 * no stickiness): a desktop session started through the balancer lives on one node, its home, which alone
 * registers the DN with SIP Server; desktop requests that land on any node are relayed to the home and see the
 * same session (calls, CometD); when the home is killed (SIGKILL) another node registers the DN again and the
 * agent's calls, old and new, are seen through the balancer.
 */
describe('Desktop sessions on a cluster: one home node per agent', () => {
  let cluster: LocalCluster;
  let redis: Redis;
  let probe: HomeProbe;
  let ops: string;
  let ccid: string;
  let dn: string;
  let agent: ClusterUser;
  let other: ClusterUser;
  let supervisor: ClusterUser;
  let firstCall: CallOn;
  let killedUrl: string | undefined;
  /** A second agent whose DN records every call, homed with the first, with its screen recorder. */
  let recorded: { agent: ClusterUser; dn: string; call?: CallOn; recorder?: RecorderClient };

  beforeAll(async () => {
    cluster = await startLocalCluster(NODES);
    redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
    probe = new HomeProbe(cluster, redis);
    ops = basicAuth(cluster.opsUsername, cluster.opsPassword);
    const lb = cluster.lbUrl;
    ccid = (await request(lb).post('/api/v2/ops/contact-centers').set('Authorization', ops).send({ name: 'cluster desktop' }).expect(200)).body.contactCenter.id;
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', ops).send({ uris: ['/api/api-voice-recording'] }).expect(200);
    dn = uniqueDn();
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/dns`).set('Authorization', ops).send({ dn, switch: 'SIP_Switch' }).expect(200);
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/places`).set('Authorization', ops).send({ name: `Place_${dn}`, dns: [dn], agents: [] }).expect(200);
    await probe.sim('dn', { number: dn });
    agent = await createAgent('home');
    other = await createAgent('other');
    supervisor = await createAgent('sup', { roles: ['supervisor'], accessGroups: ['/EMEA'] });
    const certificate = opensslCertificate('cluster-screen');
    await request(lb)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', ops)
      .send({ certificate: readFileSync(certificate.certPath, 'utf8'), privateKey: readFileSync(certificate.keyPath, 'utf8'), activate: true })
      .expect(200);
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', ops).send({ uris: ['/api/api-supervisor-recording'] }).expect(200);
    recorded = { agent: await createAgent('screen'), dn: uniqueDn() };
    await request(lb).post(`/api/v2/ops/contact-centers/${ccid}/dns`).set('Authorization', ops).send({ dn: recorded.dn, switch: 'SIP_Switch' }).expect(200);
    await probe.sim('dn', { number: recorded.dn, record: true });
  });

  afterAll(async () => {
    await recorded?.recorder?.close();
    redis?.disconnect();
    await cluster?.stop();
  });

  const createAgent = (prefix: string, attributes: Record<string, unknown> = {}) => createClusterUser(cluster.lbUrl, ops, ccid, prefix, attributes);

  const agentKey = () => `${ccid}/${agent.userName}`;
  const connectRecorder = (url: string) =>
    new RecorderClient({
      url: `${url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`,
      authorization: recorded.agent.bearer,
      hello: { clientVersion: '1.0.0', platform: 'test-os', hostname: 'agent-pc' },
      initialBackoffMs: 50,
      reconnect: false,
    });
  const calls = (url: string, who = agent) => request(url).get('/api/v2/me/calls').set('Authorization', who.bearer);
  const bayeux = (url: string, message: Record<string, unknown>) => request(url).post('/api/v2/notifications').set('Authorization', agent.bearer).send([message]);

  it('a session started through the balancer has one home, whose link alone registers the DN; every node serves its calls and CometD session', async () => {
    const started = await request(cluster.lbUrl).post('/api/v2/me').set('Authorization', agent.bearer).send({ operationName: 'StartContactCenterSession', place: `Place_${dn}` }).expect(200);
    expect(started.body.session.devices).toEqual([expect.objectContaining({ dn, state: 'registered' })]);
    expect(await probe.linksRegistering(dn)).toBe(1);

    // A CometD client whose messages land on three different nodes: one Bayeux session, at the home.
    const [n1, n2, n3] = cluster.nodeUrls;
    const handshake = await bayeux(n1, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }).expect(200);
    const clientId = handshake.body[0].clientId as string;
    expect(handshake.body[0].successful).toBe(true);
    const connected = await bayeux(n2, { channel: '/meta/connect', clientId, connectionType: 'long-polling' }).expect(200);
    expect(connected.body.at(-1)).toMatchObject({ channel: '/meta/connect', successful: true });
    const subscribed = await bayeux(n3, { channel: '/meta/subscribe', clientId, subscription: '/v2/me/calls' }).expect(200);
    expect(subscribed.body[0]).toMatchObject({ successful: true });

    firstCall = await probe.call(dn, '+15550101');
    // Held at the home until the call's notification: the desktop hears the call whichever node it polled.
    const polled = await bayeux(n1, { channel: '/meta/connect', clientId, connectionType: 'long-polling' }).expect(200);
    expect(polled.body.filter((m: { channel: string }) => m.channel === '/v2/me/calls').map((m: { data: { call: { id: string } } }) => m.data.call.id)).toContain(firstCall.callUuid);

    for (const url of cluster.nodeUrls) {
      const answer = await calls(url).expect(200);
      expect({ node: url, calls: answer.body.data.calls.map((c: { id: string }) => c.id) }).toEqual({ node: url, calls: [firstCall.callUuid] });
    }
    const home = await probe.homeOf(agentKey());
    expect(cluster.nodeUrls).toContain(home.url);
    for (let i = 0; i < NODES * 2; i++) expect((await calls(cluster.lbUrl).expect(200)).body.data.calls.map((c: { id: string }) => c.id)).toEqual([firstCall.callUuid]);
    // A supervisor's recording control of the agent's call, sent to each node, reaches the agent's home.
    for (const [i, url] of cluster.nodeUrls.entries()) {
      const operationName = i % 2 === 0 ? 'StartCallRecording' : 'StopCallRecording';
      const answer = await request(url).post(`/api/v2/users/${agent.userName}/calls/${firstCall.callUuid}`).set('Authorization', supervisor.bearer).send({ operationName });
      expect({ node: url, operationName, status: answer.status }).toEqual({ node: url, operationName, status: 200 });
    }
    expect(await probe.linksRegistering(dn)).toBe(1);
    expect((await probe.homeOf(`${ccid}/${supervisor.userName}`).catch(() => undefined)) ?? 'no home').toBe('no home');
  });

  it('an agent cannot reach another agent’s session: the home is the caller’s own, and a forged hop header is refused, not served', async () => {
    const home = await probe.homeOf(agentKey());
    const elsewhere = cluster.nodeUrls.find((url) => url !== home.url)!;
    // Another agent sees its own (empty) session on every node; naming the agent's home as the hop gets it
    // nothing more: its own home serves it, any other node refuses the forged hop.
    for (const url of cluster.nodeUrls) expect((await calls(url, other).expect(200)).body.data.calls).toEqual([]);
    for (const url of cluster.nodeUrls) {
      const answer = await calls(url, other).set(HOP, home.nodeId);
      expect({ node: url, status: answer.status, calls: answer.status === 200 ? answer.body.data.calls : 'refused' }).toEqual({
        node: url,
        status: answer.status === 200 ? 200 : 503,
        calls: answer.status === 200 ? [] : 'refused',
      });
    }
    // It cannot end the agent's session either: its End is about its own session.
    await request(cluster.lbUrl).post('/api/v2/me').set('Authorization', other.bearer).send({ operationName: 'EndContactCenterSession' }).expect(200);
    // The agent's own request with a forged hop header on a node that is not its home: refused, never served there.
    const forged = await calls(elsewhere).set(HOP, 'forged').expect(503);
    expect(Number(forged.headers['retry-after'])).toBeGreaterThan(0);
    expect(forged.body.statusMessage).toMatch(/moved to another node/);
    const forgedStart = await request(elsewhere).post('/api/v2/me').set('Authorization', agent.bearer).set(HOP, 'forged').send({ operationName: 'StartContactCenterSession', place: `Place_${dn}` });
    expect(forgedStart.status).toBe(503);
    expect(await probe.linksRegistering(dn)).toBe(1);
    expect((await probe.homeOf(agentKey())).nodeId).toBe(home.nodeId);
    expect((await calls(cluster.lbUrl).expect(200)).body.data.calls.map((c: { id: string }) => c.id)).toEqual([firstCall.callUuid]);

    // A wrong password on a relayed endpoint counts once (the relaying node and the guard share one check):
    // three of them stay below the lockout threshold of 5, so the right password still works.
    for (let i = 0; i < 3; i++) await request(elsewhere).get('/api/v2/me/calls').set('Authorization', basicAuth(agent.userName, `wrong-${i}`)).expect(401);
    await request(elsewhere).get('/api/v2/me/calls').set('Authorization', basicAuth(agent.userName, agent.password)).expect(200);
  });

  it('notification WebSockets opened on nodes that are not the home (plain and CometD) are served by the home and get the agent’s calls', async () => {
    const home = await probe.homeOf(agentKey());
    const [plainNode, cometdNode] = cluster.nodeUrls.filter((url) => url !== home.url);
    const open = async (url: string) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v2/notifications`, { headers: { Authorization: agent.bearer } });
      const frames: unknown[] = [];
      ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return { ws, frames };
    };
    const plain = await open(plainNode);
    const cometd = await open(cometdNode);
    cometd.ws.send(JSON.stringify([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['websocket'] }]));
    const shaken = await waitUntil(10_000, async () => (cometd.frames.flat() as { channel: string; clientId?: string }[]).find((m) => m.channel === '/meta/handshake'));
    const clientId = shaken!.clientId;
    cometd.ws.send(JSON.stringify([{ channel: '/meta/connect', clientId, connectionType: 'websocket' }, { channel: '/meta/subscribe', clientId, subscription: '/v2/me/calls' }]));
    await waitUntil(10_000, async () => (cometd.frames.flat() as { channel: string; successful?: boolean }[]).find((m) => m.channel === '/meta/subscribe' && m.successful));

    const call = await probe.call(dn, '+15550303');
    const callIds = (frames: unknown[]) => (frames.flat() as { data?: { call?: { id: string } } }[]).map((m) => m.data?.call?.id);
    expect(await waitUntil(10_000, async () => (callIds(plain.frames).includes(call.callUuid) ? true : undefined))).toBe(true);
    expect(await waitUntil(10_000, async () => (callIds(cometd.frames).includes(call.callUuid) ? true : undefined))).toBe(true);
    plain.ws.close();
    cometd.ws.close();
    expect(await probe.linksRegistering(dn)).toBe(1);
  });

  it('a recorder connected to the home is told to record a recorded call of its agent (screen follows voice at the home)', async () => {
    const home = await probe.homeOf(agentKey());
    // Started on the first agent's home directly, so that the kill below takes both agents' home.
    await request(home.url).post('/api/v2/me').set('Authorization', recorded.agent.bearer).send({ operationName: 'StartContactCenterSession', devices: [{ dn: recorded.dn }] }).expect(200);
    expect((await probe.homeOf(`${ccid}/${recorded.agent.userName}`)).nodeId).toBe(home.nodeId);
    recorded.recorder = connectRecorder(home.url);
    await recorded.recorder.connect();
    recorded.call = await probe.call(recorded.dn, '+15550404');
    expect(await waitUntil(15_000, async () => (recorded.recorder!.recording?.state === 'recording' ? recorded.recorder!.recording : undefined))).toMatchObject({
      callUuid: recorded.call.callUuid,
    });
  });

  it('kill -9 of the home: another node registers the DN again within the bound, rebuilds the call from SIP Server, and a new call is seen through the balancer', async () => {
    const home = await probe.homeOf(agentKey());
    const killedAt = Date.now();
    killedUrl = home.url;
    process.kill(cluster.pidOf(`node${cluster.nodeUrls.indexOf(home.url) + 1}`), 'SIGKILL');
    // The desktop keeps polling its calls through the balancer while its home is gone.
    const outcomes: { status: number; retryAfter?: string; fromRws: boolean; calls: string[] }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const answer = await calls(cluster.lbUrl);
        outcomes.push({
          status: answer.status,
          retryAfter: answer.headers['retry-after'],
          // RWS answers in its JSON envelope; the balancer's own errors (the dead node still in rotation) do not.
          fromRws: typeof answer.body?.statusCode === 'number',
          calls: answer.status === 200 ? answer.body.data.calls.map((c: { id: string }) => c.id) : [],
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const reRegistered = await waitUntil(TAKEOVER_BOUND_MS, async () => {
      const next = await probe.homeOf(agentKey()).catch(() => undefined);
      return next && next.nodeId !== home.nodeId && (await probe.linksRegistering(dn)) === 1 ? next : undefined;
    });
    const takeoverMs = Date.now() - killedAt;
    expect(reRegistered).toBeDefined();
    expect(reRegistered!.url).not.toBe(home.url);

    const secondCall = await probe.call(dn, '+15550202');
    const seen = await waitUntil(TAKEOVER_BOUND_MS, async () => outcomes.find((o) => o.calls.includes(secondCall.callUuid)));
    polling = false;
    await poller;
    expect(seen?.calls).toEqual(expect.arrayContaining([firstCall.callUuid, secondCall.callUuid]));
    // Every live node now answers the same, from the new home: the call of before the kill rebuilt from SIP Server.
    let verified = 0;
    for (const url of cluster.nodeUrls.filter((u) => u !== home.url)) {
      const ids = (await calls(url).expect(200)).body.data.calls.map((c: { id: string }) => c.id);
      if (ids.includes(firstCall.callUuid) && ids.includes(secondCall.callUuid)) verified++;
    }
    expect(verified).toBe(NODES - 1);
    expect(await probe.linksRegistering(dn)).toBe(1);

    // The second agent was taken over too: its recorder, connecting to the new home, is told to record the call.
    const idBefore = recorded.recorder!.recording?.recordingId;
    await recorded.recorder!.close();
    const recordedHome = await waitUntil(TAKEOVER_BOUND_MS, async () => {
      const next = await probe.homeOf(`${ccid}/${recorded.agent.userName}`).catch(() => undefined);
      return next && next.nodeId !== home.nodeId && (await probe.linksRegistering(recorded.dn)) === 1 ? next : undefined;
    });
    expect(recordedHome).toBeDefined();
    recorded.recorder = connectRecorder(recordedHome!.url);
    await recorded.recorder.connect();
    expect(await waitUntil(15_000, async () => (recorded.recorder!.recording?.state === 'recording' ? recorded.recorder!.recording : undefined))).toMatchObject({
      callUuid: recorded.call!.callUuid,
      // The new home names the same screen recording for the same (agent, call): one recording, not two.
      recordingId: idBefore,
    });
    // What the polling desktop saw from RWS: answers, or 503 + Retry-After (retry) — never another error.
    const acknowledged = outcomes.filter((o) => o.status === 200);
    const retry = outcomes.filter((o) => o.fromRws && o.status !== 200);
    const balancer = outcomes.filter((o) => !o.fromRws);
    expect(retry.filter((o) => o.status !== 503 || !o.retryAfter)).toEqual([]);
    process.stdout.write(
      `takeover: DN registered again ${takeoverMs} ms after SIGKILL; desktop calls polls through the balancer: tried ${outcomes.length}, ` +
        `acknowledged ${acknowledged.length}, RWS 503 + Retry-After ${retry.length}, balancer errors (dead node still in rotation) ${balancer.length} ` +
        `[${balancer.map((o) => o.status).join(',')}], ` +
        `acknowledged with the call of before the kill ${acknowledged.filter((o) => o.calls.includes(firstCall.callUuid)).length}; ` +
        `both calls verified on ${verified}/${NODES - 1} live nodes; screen recording id before the kill ${idBefore}, after ${recorded.recorder.recording?.recordingId}\n`,
    );
  });

  it('Redis down: the home keeps serving its agent, another node answers 503 + Retry-After for it; Redis back: relayed again', async () => {
    const home = await probe.homeOf(agentKey());
    const elsewhere = cluster.nodeUrls.find((url) => url !== home.url && url !== killedUrl)!;
    process.kill(cluster.pidOf('redis'), 'SIGKILL');
    const refused = await waitUntil(10_000, async () => {
      const answer = await calls(elsewhere);
      return answer.status === 503 ? answer : undefined;
    });
    expect(refused).toBeDefined();
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.stringify(refused!.body)).not.toMatch(/ECONNREFUSED|ioredis|Stream isn't writeable/);
    expect((await calls(home.url).expect(200)).body.data.calls.length).toBeGreaterThan(0);

    cluster.restartRedis();
    redis.disconnect();
    redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
    probe = new HomeProbe(cluster, redis);
    const relayed = await waitUntil(20_000, async () => {
      const answer = await calls(elsewhere);
      return answer.status === 200 && answer.body.data.calls.length > 0 ? answer : undefined;
    });
    expect(relayed).toBeDefined();
    expect((await probe.homeOf(agentKey())).nodeId).toBe(home.nodeId);
    expect(await probe.linksRegistering(dn)).toBe(1);
  });
});
