import request from 'supertest';
import WebSocket from 'ws';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../../tools/sipserver-sim';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { createDesk, createDn, createPlace, uniqueDn } from '../support/telephony-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

interface SimState {
  calls: { CallUUID: string; recordings: { dn: string; state: string }[] }[];
  servers: { links: { registered: string[] }[] }[];
}

/**
 * Trust boundary of telephony resources (issue 13, finding 1): an agent starts a session only on DNs of its
 * own contact center (and of places assigned to it), never on a DN in another agent's session; the place
 * alone (the GWS body) resolves its DNs. Through HTTP, the recorder WebSocket and the simulator's control surface.
 */
describe('agent sessions stay inside the agent’s contact center', () => {
  let rws: TestApp;
  let sim: Parameters<typeof runCommand>[0];
  let controlUrl: string;
  let ccA: string;
  let ccB: string;
  let agentA: TestUser;
  let agentA2: TestUser;
  let reservedAgent: TestUser;
  let agentB: TestUser;
  const dnA = uniqueDn();
  const dnP = uniqueDn();
  const dnR = uniqueDn();
  const dnB = uniqueDn();

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    [ccA, ccB] = await Promise.all([createContactCenter(rws), createContactCenter(rws)]);
    for (const ccid of [ccA, ccB]) {
      await request(rws.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: ['/api/api-voice-recording'] }).expect(200);
    }
    agentA = await createUser(rws, ccA, 'cc-a-agent', { roles: ['agent'], agentId: 'a-a1', agentHierarchy: '/A/agent1' });
    agentA2 = await createUser(rws, ccA, 'cc-a-agent2', { roles: ['agent'], agentId: 'a-a2', agentHierarchy: '/A/agent2' });
    reservedAgent = await createUser(rws, ccA, 'cc-a-reserved', { roles: ['agent'], agentId: 'a-r', agentHierarchy: '/A/reserved' });
    agentB = await createUser(rws, ccB, 'cc-b-agent', { roles: ['agent'], agentId: 'b-1', agentHierarchy: '/B/agent1' });
    await createDesk(rws, ccA, dnA);
    await createDesk(rws, ccA, dnP);
    await createDn(rws, ccA, dnR);
    await createPlace(rws, ccA, `Place_${dnR}`, [dnR], [reservedAgent.userName]);
    await createDesk(rws, ccB, dnB);
    const embedded = rws.app.get(EmbeddedSimulator);
    sim = embedded.simulator!.sim;
    controlUrl = embedded.controlUrl!;
    for (const dn of [dnA, dnP, dnR, dnB]) await runCommand(sim, 'dn', { number: dn });
  });
  afterAll(() => rws.close());

  const start = (user: TestUser, body: Record<string, unknown>) =>
    request(rws.url).post('/api/v2/me').set('Authorization', user.basic).send({ operationName: 'StartContactCenterSession', ...body });
  const end = (user: TestUser) => request(rws.url).post('/api/v2/me').set('Authorization', user.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);

  /** The simulator's own view, read through its HTTP control surface. */
  async function simState(): Promise<SimState> {
    const res = await fetch(`${controlUrl}/state`);
    return (await res.json()) as SimState;
  }
  async function registered(): Promise<string[]> {
    return (await simState()).servers.flatMap((s) => s.links.flatMap((l) => l.registered));
  }
  async function recordingStateOf(callUuid: string, dn: string): Promise<string | undefined> {
    return (await simState()).calls.find((c) => c.CallUUID === callUuid)?.recordings.find((r) => r.dn === dn)?.state;
  }

  /** A recorder's hello over the real WebSocket; resolves with the error frame that refuses its devices. */
  async function helloRefusal(user: TestUser, hello: Record<string, unknown>): Promise<{ code: string; message: string }> {
    const ws = new WebSocket(`${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`, { headers: { Authorization: user.basic } });
    try {
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const refusal = new Promise<{ code: string; message: string }>((resolve) =>
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; code: string; message: string };
          if (frame.type === 'error') resolve(frame);
        }),
      );
      ws.send(JSON.stringify({ type: 'hello', clientVersion: '1.0.0', platform: 'test-os', hostname: 'pc', ...hello }));
      return await refusal;
    } finally {
      ws.close();
    }
  }

  it('refuses an agent of another contact center A’s DN and place, so it neither sees A’s calls nor stops their recording', async () => {
    const byDevice = await start(agentB, { devices: [{ dn: dnA }] }).expect(403);
    expect(byDevice.body).toEqual({ statusCode: 3, statusMessage: `DN [${dnA}] is not a DN of the agent's contact center.` });
    const byPlace = await start(agentB, { place: `Place_${dnA}` }).expect(404);
    expect(byPlace.body).toEqual({ statusCode: 6, statusMessage: `Place [Place_${dnA}] cannot be found.` });
    const refusal = await helloRefusal(agentB, { devices: [{ dn: dnA }] });
    expect(refusal).toMatchObject({ code: 'session-failed', message: expect.stringContaining(`DN [${dnA}] is not a DN of the agent's contact center.`) });

    // A's agent works on the DN; its call is recorded.
    await start(agentA, { place: `Place_${dnA}` }).expect(200);
    const call = (await runCommand(sim, 'call', { from: '+15550199', to: dnA })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn: dnA });
    await expectEventually(async () => {
      await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agentA.basic).send({ operationName: 'StartCallRecording' }).expect(200);
    });
    await expectEventually(async () => expect(await recordingStateOf(call.callUuid, dnA)).toBe('ON'));

    // B sees none of it and cannot stop it.
    expect((await request(rws.url).get('/api/v2/me/calls').set('Authorization', agentB.basic).expect(200)).body.data.calls).toEqual([]);
    const stop = await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agentB.basic).send({ operationName: 'StopCallRecording' }).expect(404);
    expect(stop.body.statusCode).toBe(6);
    expect(await recordingStateOf(call.callUuid, dnA)).toBe('ON');
    expect((await request(rws.url).get('/api/v2/me/calls').set('Authorization', agentA.basic).expect(200)).body.data.calls).toEqual([
      expect.objectContaining({ id: call.callUuid, recordingState: 'Recording' }),
    ]);

    await runCommand(sim, 'release', { call: call.connId });
    await end(agentA);
  });

  it('resolves the place of the documented GWS body to its DNs, and the agent sees its call', async () => {
    const started = await start(agentA2, { channels: ['voice'], place: `Place_${dnP}` }).expect(200);
    expect(started.body.session).toMatchObject({ place: `Place_${dnP}`, devices: [expect.objectContaining({ dn: dnP, state: 'registered' })] });
    expect(await registered()).toContain(dnP);
    const call = (await runCommand(sim, 'call', { from: '+15550198', to: dnP })) as { connId: string; callUuid: string };
    await expectEventually(async () => {
      const calls = await request(rws.url).get('/api/v2/me/calls').set('Authorization', agentA2.basic).expect(200);
      expect(calls.body.data.calls).toEqual([expect.objectContaining({ id: call.callUuid, connId: call.connId })]);
    });
    await runCommand(sim, 'release', { call: call.connId });
    await end(agentA2);
    expect(await registered()).not.toContain(dnP);

    // A recorder's hello naming only the place does the same.
    const ws = new WebSocket(`${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`, { headers: { Authorization: agentA2.basic } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'hello', clientVersion: '1.0.0', platform: 'test-os', hostname: 'pc', place: `Place_${dnP}` }));
    await expectEventually(async () => expect(await registered()).toContain(dnP));
    ws.close();
    await end(agentA2);
    expect(await registered()).not.toContain(dnP);
  });

  it('answers 404 for a place or DN that does not exist and 403 for one the agent may not use, never 200 without devices', async () => {
    expect((await start(agentA, { place: 'Place_nowhere' }).expect(404)).body.statusCode).toBe(6);
    expect((await start(agentA, { devices: [{ dn: uniqueDn() }] }).expect(404)).body.statusCode).toBe(6);
    expect((await start(agentA, { devices: [{ dn: dnA, switch: 'Other_Switch' }] }).expect(404)).body.statusMessage).toBe(`DN [${dnA}] on switch [Other_Switch] cannot be found.`);
    expect((await start(agentA, {}).expect(400)).body.statusCode).toBe(2);
    expect((await start(agentA, { place: `Place_${dnR}` }).expect(403)).body.statusMessage).toBe(`Place [Place_${dnR}] is not assigned to the agent.`);
    expect((await start(agentA, { devices: [{ dn: dnR }] }).expect(403)).body.statusCode).toBe(3);
    expect((await start(agentA, { place: `Place_${dnA}`, devices: [{ dn: dnR }] }).expect(403)).body.statusMessage).toBe(`DN [${dnR}] is not a DN of place [Place_${dnA}].`);
    expect((await helloRefusal(agentA, { place: 'Place_nowhere' })).message).toContain('Place [Place_nowhere] cannot be found.');

    const reserved = await start(reservedAgent, { place: `Place_${dnR}` }).expect(200);
    expect(reserved.body.session.devices).toEqual([expect.objectContaining({ dn: dnR, state: 'registered' })]);
    await end(reservedAgent);
    expect(await registered()).not.toContain(dnR);
  });

  it('refuses a DN in another agent’s session (409) until that session ends; the same agent may start again', async () => {
    await start(agentA, { place: `Place_${dnA}` }).expect(200);
    const taken = await start(agentA2, { devices: [{ dn: dnA }] }).expect(409);
    expect(taken.body).toEqual({ statusCode: 7, statusMessage: `DN [${dnA}] is in another agent's session.` });
    expect((await helloRefusal(agentA2, { devices: [{ dn: dnA }] })).message).toContain(`DN [${dnA}] is in another agent's session.`);
    await start(agentA, { devices: [{ dn: dnA }] }).expect(200);
    await end(agentA);
    await start(agentA2, { devices: [{ dn: dnA }] }).expect(200);
    await end(agentA2);
  });
});
