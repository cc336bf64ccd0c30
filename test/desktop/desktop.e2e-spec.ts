import request from 'supertest';
import WebSocket from 'ws';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../../tools/sipserver-sim';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { createDesk } from '../support/telephony-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

describe('agent desktop API against the in-process SIP Server simulator', () => {
  let rws: TestApp;
  let agent: TestUser;
  let otherAgent: TestUser;
  let supervisor: TestUser;
  let outsider: TestUser;
  let sim: Parameters<typeof runCommand>[0];
  let dn: string;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    const ccid = await createContactCenter(rws);
    await request(rws.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: ['/api/api-voice-recording'] }).expect(200);
    agent = await createUser(rws, ccid, 'desk-agent', { roles: ['agent'], agentId: 'a-desk', agentHierarchy: '/EMEA/Sales/desk' });
    otherAgent = await createUser(rws, ccid, 'desk-other', { roles: ['agent'], agentId: 'a-other', agentHierarchy: '/EMEA/Sales/other' });
    supervisor = await createUser(rws, ccid, 'desk-sup', { roles: ['supervisor'], accessGroups: ['/EMEA/Sales'] });
    outsider = await createUser(rws, ccid, 'desk-apac', { roles: ['supervisor'], accessGroups: ['/APAC'] });
    sim = rws.app.get(EmbeddedSimulator).simulator!.sim;
    dn = String(7300 + Math.floor(Math.random() * 600));
    await createDesk(rws, ccid, dn);
    await runCommand(sim, 'dn', { number: dn });
  });
  afterAll(() => rws.close());

  async function establishedCall(): Promise<{ connId: string; callUuid: string }> {
    const call = (await runCommand(sim, 'call', { from: '+15550001', to: dn })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn });
    return call;
  }

  it('starts a session, lists the agent’s calls, and controls their recording (EventACK → 200, EventError → 409)', async () => {
    const notifications = new WebSocket(`${rws.url.replace(/^http/, 'ws')}/api/v2/notifications`, { headers: { Authorization: agent.basic } });
    const messages: { data: { notificationType: string; call: { id: string; recordingState: string } } }[] = [];
    notifications.on('message', (m) => messages.push(JSON.parse(m.toString())));
    await new Promise((resolve, reject) => notifications.once('open', resolve).once('error', reject));

    const started = await request(rws.url)
      .post('/api/v2/me')
      .set('Authorization', agent.basic)
      .send({ operationName: 'StartContactCenterSession', place: `Place_${dn}`, devices: [{ dn, switch: 'SIP_Switch' }] })
      .expect(200);
    expect(started.body.session.devices[0]).toMatchObject({ dn, state: 'registered' });
    const call = await establishedCall();
    await expectEventually(async () => {
      const calls = await request(rws.url).get('/api/v2/me/calls').set('Authorization', agent.basic).expect(200);
      expect(calls.body.data.calls).toEqual([expect.objectContaining({ id: call.callUuid, connId: call.connId, recordingState: 'Stopped' })]);
    });

    const refused = await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.basic).send({ operationName: 'PauseCallRecording' }).expect(409);
    expect(refused.body.statusCode).toBe(7);
    await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.basic).send({ operationName: 'StartCallRecording' }).expect(200, { statusCode: 0 });
    await expectEventually(async () => {
      const calls = await request(rws.url).get('/api/v2/me/calls').set('Authorization', agent.basic).expect(200);
      expect(calls.body.data.calls[0].recordingState).toBe('Recording');
    });
    await expectEventually(() =>
      expect(messages.some((m) => m.data.notificationType === 'CallRecordingStateChange' && m.data.call.id === call.callUuid && m.data.call.recordingState === 'Recording')).toBe(true),
    );
    await request(rws.url).post('/api/v2/me/calls/NOSUCHCALL').set('Authorization', agent.basic).send({ operationName: 'StopCallRecording' }).expect(404);
    const bad = await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.basic).send({ operationName: 'Explode' }).expect(400);
    expect(bad.body.statusMessage).toMatch(/^Parameter 'operationName' is invalid/);
    notifications.close();
    await runCommand(sim, 'release', { call: call.connId });
  });

  it('lets a supervisor of the agent’s hierarchy control the call, and nobody else', async () => {
    const call = await establishedCall();
    const path = `/api/v2/users/${agent.userName}/calls/${call.callUuid}`;
    await request(rws.url).post(path).set('Authorization', otherAgent.basic).send({ operationName: 'StartCallRecording' }).expect(403);
    await request(rws.url).post(path).set('Authorization', outsider.basic).send({ operationName: 'StartCallRecording' }).expect(404);
    await expectEventually(async () => {
      await request(rws.url).post(path).set('Authorization', supervisor.basic).send({ operationName: 'StartCallRecording' }).expect(200);
    });
    await expectEventually(async () => {
      const calls = await request(rws.url).get('/api/v2/me/calls').set('Authorization', agent.basic).expect(200);
      expect(calls.body.data.calls.find((c: { id: string }) => c.id === call.callUuid).recordingState).toBe('Recording');
    });
    await runCommand(sim, 'release', { call: call.connId });
  });

  it('refuses sessions to accounts that are not agents, and unauthenticated notification sockets', async () => {
    await request(rws.url).post('/api/v2/me').set('Authorization', rws.opsAuth).send({ operationName: 'StartContactCenterSession', devices: [{ dn }] }).expect(403);
    const ws = new WebSocket(`${rws.url.replace(/^http/, 'ws')}/api/v2/notifications`);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('open', () => resolve(101)));
    expect(status).toBe(401);
  });
});
