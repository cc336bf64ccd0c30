import { RecordingEvent, RecordingEventsPort } from '../../src/telephony/recording-events';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { TelephonyService } from '../../src/telephony/telephony.service';
import { runCommand, startSimulator } from '../../tools/sipserver-sim';
import type { Principal } from '../../src/identity/principal';
import { AgentSessionPort } from '../../src/recorders/agent-session.port';
import { RecordersService } from '../../src/recorders/recorders.service';
import { testConfig } from '../support/test-config';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { createContactCenter } from '../support/identity-fixtures';
import { createDesk } from '../support/telephony-fixtures';

describe('telephony in the application', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs the simulator in-process when SIPSERVER_ADDRESSES is unset, reports the link in readiness, publishes events', async () => {
    app = await startTestApp(testConfig());
    const simulator = app.app.get(EmbeddedSimulator);
    expect(simulator.simulator).toBeDefined();
    await expectEventually(async () => {
      const ready = (await fetch(`${app!.url}/health/ready`).then((r) => r.json())) as { dependencies: Record<string, unknown> };
      expect(ready.dependencies.sipserver).toMatchObject({ status: 'up' });
    });
    const events: RecordingEvent[] = [];
    app.app.get(RecordingEventsPort).subscribe((e) => {
      if (e.kind === 'recording') events.push(e);
    });
    const telephony = app.app.get(TelephonyService);
    const session = await telephony.startAgentSession('agent1', 'Place_7001', [{ dn: '7001', switch: 'SIP_Switch' }]);
    expect(session.devices[0].state).toBe('registered');
    // The control surface of the in-process simulator drives a call.
    const control = simulator.controlUrl!;
    const post = (op: string, body: unknown) =>
      fetch(`${control}/commands/${op}`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await post('dn', { number: '7001', record: true })).status).toBe(200);
    const call = (await post('call', { from: '+15550001', to: '7001' })).body as { connId: string; callUuid: string };
    expect((await post('answer', { call: call.connId, dn: '7001' })).status).toBe(200);
    await expectEventually(() => expect(events.map((e) => `${e.type}:${e.agentDn}:${e.agentKeys.join()}`)).toEqual(['started:7001:agent1']));
    expect(telephony.listCalls('7001')[0]).toMatchObject({ id: call.callUuid, recordingState: 'Recording' });
    expect((await post('answer', { call: 'nope', dn: '7001' })).status).toBe(404);
    expect((await post('explode', {})).status).toBe(404);
    const metrics = await fetch(`${app.url}/metrics`, { headers: { authorization: app.opsAuth } }).then((r) => r.text());
    expect(metrics).toContain('rws_sipserver_link_up 1');
    expect(metrics).toMatch(/rws_recording_events_total\{type="started",cause="indication"\} 1/);
  });

  it('connects to the configured SIP Server pair instead when SIPSERVER_ADDRESSES is set', async () => {
    const external = await startSimulator({ port: 0, backupPort: 0 });
    try {
      const addresses = external.addresses.map((a) => `${a.host}:${a.port}`).join(',');
      app = await startTestApp(testConfig({ env: { SIPSERVER_ADDRESSES: addresses } }));
      expect(app.app.get(EmbeddedSimulator).simulator).toBeUndefined();
      const telephony = app.app.get(TelephonyService);
      await expectEventually(async () => expect((await telephony.startAgentSession('a', undefined, [{ dn: '7002' }])).devices[0].state).toBe('registered'));
      expect(external.sim.server('primary').describeLinks()[0].registered).toEqual(['7002']);
    } finally {
      await app?.close();
      app = undefined;
      await external.stop();
    }
  });

  it('a recorder hello with devices starts the session; recording events reach the recorders module as that agent', async () => {
    app = await startTestApp(testConfig());
    const ccid = await createContactCenter(app);
    await createDesk(app, ccid, '7101');
    const principal = { kind: 'user', userName: 'carol', ccid, roles: ['agent'], permissions: [], agentId: 'a-carol', accessGroups: [] } as Principal;
    await app.app.get(AgentSessionPort, { strict: false }).startSession(principal, 'Place_7101', [{ dn: '7101' }]);
    const sim = app.app.get(EmbeddedSimulator).simulator!.sim;
    await runCommand(sim, 'dn', { number: '7101', record: true });
    const call = (await runCommand(sim, 'call', { from: '+15550101', to: '7101' })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn: '7101' });
    const recorders = app.app.get(RecordersService, { strict: false });
    const carol = { ccid, userName: 'carol' };
    await expectEventually(() => expect(recorders.desiredFor(carol)).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    await app.app.get(TelephonyService).controlRecording('7101', call.callUuid, 'PauseCallRecording');
    await expectEventually(() => expect(recorders.desiredFor(carol)).toMatchObject({ callUuid: call.callUuid, state: 'paused' }));
    await runCommand(sim, 'release', { call: call.connId });
    await expectEventually(() => expect(recorders.desiredFor(carol)).toBeNull());
  });
});
