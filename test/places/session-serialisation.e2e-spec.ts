import request from 'supertest';
import WebSocket from 'ws';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../../tools/sipserver-sim';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { createDesk, uniqueDn } from '../support/telephony-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * Issue 14 #4: the desktop's StartContactCenterSession and the recorder's hello with devices overlap, and the
 * session ends while the hello's start is still under way (the simulator swallows its first request, so it
 * waits for the request timeout). Starts and ends of one agent run in arrival order, so the end undoes the
 * hello's start and no DN stays registered — checked in RWS's DN registry (/metrics) and in the simulator.
 */
describe('overlapping session starts of one agent', () => {
  let rws: TestApp;
  let sim: Parameters<typeof runCommand>[0];
  let controlUrl: string;
  let agent: TestUser;
  const deskDn = uniqueDn();
  const recorderDn = uniqueDn();

  beforeAll(async () => {
    rws = await startTestApp(testConfig({ env: { SIPSERVER_REQUEST_TIMEOUT_MS: '500' } }));
    const ccid = await createContactCenter(rws);
    agent = await createUser(rws, ccid, 'overlap-agent', { roles: ['agent'], agentId: 'a-overlap' });
    await createDesk(rws, ccid, deskDn);
    await createDesk(rws, ccid, recorderDn);
    const embedded = rws.app.get(EmbeddedSimulator);
    sim = embedded.simulator!.sim;
    controlUrl = embedded.controlUrl!;
  });
  afterAll(() => rws.close());

  async function metric(name: string): Promise<number> {
    const text = (await request(rws.url).get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.split(' ')[1] ?? NaN);
  }
  async function registeredInSimulator(): Promise<string[]> {
    const state = (await (await fetch(`${controlUrl}/state`)).json()) as { servers: { links: { registered: string[] }[] }[] };
    return state.servers.flatMap((s) => s.links.flatMap((l) => l.registered));
  }

  it('leaves no DN registered after EndContactCenterSession', async () => {
    await request(rws.url).post('/api/v2/me').set('Authorization', agent.basic).send({ operationName: 'StartContactCenterSession', place: `Place_${deskDn}` }).expect(200);
    expect(await registeredInSimulator()).toContain(deskDn);
    const timeoutsBefore = await metric('rws_sipserver_link_messages{kind="timeouts"}');

    // The hello's start moves the agent to another DN; its first request (releasing the desk DN) gets no answer.
    await runCommand(sim, 'faults', { swallowRequests: 1 });
    const ws = new WebSocket(`${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`, { headers: { Authorization: agent.basic } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const welcomed = new Promise((resolve) => ws.on('message', (data) => JSON.parse(data.toString()).type === 'welcome' && resolve(undefined)));
    ws.send(JSON.stringify({ type: 'hello', clientVersion: '1.0.0', platform: 'test-os', hostname: 'pc', devices: [{ dn: recorderDn }] }));
    await welcomed;

    // The session ends while the hello's start is still waiting.
    await request(rws.url).post('/api/v2/me').set('Authorization', agent.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);
    // Once the swallowed request has timed out, every start and end of the agent has run.
    await expectEventually(async () => expect(await metric('rws_sipserver_link_messages{kind="timeouts"}')).toBeGreaterThan(timeoutsBefore));
    expect(await metric('rws_sipserver_monitored_dns')).toBe(0);
    await expectEventually(async () => expect(await registeredInSimulator()).toEqual([]));
    expect((await request(rws.url).get('/api/v2/me/calls').set('Authorization', agent.basic).expect(200)).body.data.calls).toEqual([]);
    ws.close();
  });
});
