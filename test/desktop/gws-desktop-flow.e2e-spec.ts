import request from 'supertest';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../../tools/sipserver-sim';
import { CometdDesktop, CometdEvent } from '../support/cometd-desktop';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { createDesk, uniqueDn } from '../support/telephony-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * A GWS desktop's whole flow (compat.md §5) over CometD, on each transport and both store configurations:
 * connect, read the user with its settings, start the contact center session by place (the documented body),
 * go Ready / NotReady (T-Library agent requests to the simulated SIP Server, seen back as device
 * notifications), take a call and drive its recording, each change arriving as a CallRecordingStateChange.
 */
const BACKENDS = [
  { metadata: 'embedded', storage: 'filesystem' },
  { metadata: 'cassandra', storage: 'webdav' },
] as const;

describe.each(BACKENDS)('GWS desktop flow over CometD on $metadata + $storage', (backend) => {
  let rws: TestApp;
  let ccid: string;
  let sim: Parameters<typeof runCommand>[0];
  let agent: TestUser;
  let desktop: CometdDesktop;
  let dn: string;

  beforeAll(async () => {
    rws = await startTestApp(testConfig(backend));
    ccid = await createContactCenter(rws);
    await request(rws.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: ['/api/api-voice-recording'] }).expect(200);
    sim = rws.app.get(EmbeddedSimulator).simulator!.sim;
  });
  afterEach(() => desktop?.disconnect());
  afterAll(() => rws.close());

  const me = (body: object) => request(rws.url).post('/api/v2/me').set('Authorization', agent.basic).send(body);
  const onCall = (id: string, operationName: string) => request(rws.url).post(`/api/v2/me/calls/${id}`).set('Authorization', agent.basic).send({ operationName });
  const recordingChange = (state: string, after: number) => (e: CometdEvent) =>
    e.event === 'message' && e.data.notificationType === 'CallRecordingStateChange' && e.data.call.recordingState === state && desktop.events.indexOf(e) > after;
  const deviceState = (state: string, extra: (e: CometdEvent) => boolean = () => true) => (e: CometdEvent) =>
    e.channel === '/v2/me/devices' && e.event === 'message' && e.data.devices[0].userState.state === state && extra(e);

  it.each(['websocket', 'long-polling'] as const)('%s: connects, reads the user, goes Ready and NotReady, and controls a call’s recording by CallUUID and ConnID', async (transport) => {
    agent = await createUser(rws, ccid, 'gws-desk', { roles: ['agent'], agentId: `a-gws-${transport}`, agentHierarchy: '/EMEA/Sales/gws' });
    dn = uniqueDn();
    const place = await createDesk(rws, ccid, dn);
    await runCommand(sim, 'dn', { number: dn });
    desktop = new CometdDesktop({ url: `${rws.url}/api/v2/notifications`, transport, authorization: agent.basic, channels: ['/v2/me/calls', '/v2/me/devices'] });
    await desktop.waitFor((e) => e.event === 'connect' && e.successful === true, 'connected');
    await desktop.waitFor((e) => e.event === 'subscribe' && e.channel === '/v2/me/devices' && e.successful === true, 'subscribed');

    const user = await request(rws.url).get('/api/v2/me?subresources=*').set('Authorization', agent.basic).expect(200).expect('Content-Type', /application\/json/);
    expect(user.body.statusCode).toBe(0);
    expect(user.body.user.settings).toEqual({ 'interaction-recording': expect.objectContaining({ 'agent-id': `a-gws-${transport}`, 'agent-hierarchy': '/EMEA/Sales/gws' }) });

    await me({ operationName: 'Ready' }).expect(409);
    const session = await me({ operationName: 'StartContactCenterSession', channels: ['voice'], place }).expect(200);
    expect(session.body.session.devices).toEqual([expect.objectContaining({ dn, state: 'registered' })]);

    // Ready: the agent is logged in on the DN as its agent id, then made Ready, and the desktop hears both.
    await me({ operationName: 'Ready' }).expect(200, { statusCode: 0 });
    await desktop.waitFor(deviceState('Ready'), 'Ready device state');
    expect(sim.model.directory.agentOn(dn)).toMatchObject({ agentId: `a-gws-${transport}`, state: 'Ready' });
    await me({ operationName: 'NotReady', reasonCode: 'Lunch', workMode: 'AuxWork' }).expect(200, { statusCode: 0 });
    const notReady = await desktop.waitFor(deviceState('NotReady', (e) => e.data.devices[0].userState.reasonCode === 'Lunch'), 'NotReady with reason');
    expect(notReady.data).toEqual({
      messageType: 'DeviceStateChangeMessage',
      devices: [{ id: dn, deviceState: 'Active', phoneNumber: dn, userState: { state: 'NotReady', workMode: 'AuxWork', reasonCode: 'Lunch', agentId: `a-gws-${transport}` } }],
    });
    expect(sim.model.directory.agentOn(dn)?.state).toBe('NotReady');
    const badReason = await me({ operationName: 'NotReady', reasonCode: 'x'.repeat(65) }).expect(400);
    expect(badReason.body.statusMessage).toMatch(/^Parameter 'reasonCode' is invalid/);

    // A call arrives from the simulated SIP Server and is answered.
    const call = (await runCommand(sim, 'call', { from: '+15550101', to: dn })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn });
    const established = await desktop.waitFor((e) => e.event === 'message' && e.data.call?.state === 'Established', 'Established');
    expect(established.data.call).toMatchObject({ id: call.callUuid, callUuid: call.callUuid, connId: call.connId, capabilities: ['StartCallRecording'] });

    let mark = desktop.events.length - 1;
    await onCall(call.callUuid, 'StartCallRecording').expect(200, { statusCode: 0 });
    const started = await desktop.waitFor(recordingChange('Recording', mark), 'Recording');
    expect(started.data.call).toMatchObject({ callUuid: call.callUuid, connId: call.connId, capabilities: ['StopCallRecording', 'PauseCallRecording'] });

    mark = desktop.events.length - 1;
    await onCall(call.connId, 'PauseCallRecording').expect(200, { statusCode: 0 });
    await desktop.waitFor(recordingChange('Paused', mark), 'Paused');

    mark = desktop.events.length - 1;
    await onCall(call.callUuid, 'ResumeCallRecording').expect(200, { statusCode: 0 });
    await desktop.waitFor(recordingChange('Recording', mark), 'Resumed');

    mark = desktop.events.length - 1;
    await onCall(call.connId, 'StopCallRecording').expect(200, { statusCode: 0 });
    const stopped = await desktop.waitFor(recordingChange('Stopped', mark), 'Stopped');
    expect(stopped.data.call.capabilities).toEqual(['StartCallRecording']);

    await runCommand(sim, 'release', { call: call.connId });
    await desktop.waitFor((e) => e.event === 'message' && e.data.call?.state === 'Released', 'Released');
    await me({ operationName: 'EndContactCenterSession' }).expect(200);
  });
});
