import { DependencyUnavailableException } from '../../src/common/errors/rws.exception';
import { ErrorCode } from '../../src/common/errors/error-code';
import { TelephonyTimeoutException, TelephonyUnavailableException } from '../../src/telephony/telephony.exception';
import { agents, expectEventually, rwsRecordings, simRecordings, startTelephony, TelephonyHarness } from './telephony-harness';

describe('SIP Server link robustness', () => {
  let h: TelephonyHarness;
  afterEach(async () => h.close());

  async function answeredCall(dn: string): Promise<{ connId: string; callUuid: string }> {
    const call = await h.run('call', { from: `+1555${dn}`, to: dn });
    await h.run('answer', { call: call.connId, dn });
    await expectEventually(() => expect(h.service.listCalls(dn)[0]?.state).toBe('Established'));
    return call;
  }

  it('drops duplicate events and repairs reordered ones: each change reaches consumers once, in order', async () => {
    h = await startTelephony();
    await agents(h, [{ dn: '7201', agentId: 'a201' }]);
    const call = await answeredCall('7201');
    h.sim.setFaults({ duplicate: 3, reorder: 2 });
    for (const operation of ['start', 'pause', 'resume', 'pause', 'resume', 'stop']) {
      await h.run('private-service', { call: call.connId, thisDn: '7201', operation });
    }
    await expectEventually(() =>
      expect(h.recordingLog()).toEqual(['started:7201', 'paused:7201', 'resumed:7201', 'paused:7201', 'resumed:7201', 'stopped:7201']),
    );
    expect(h.source.link.stats.duplicates).toBe(3);
    expect(h.source.link.stats.gaps).toBe(0);
    expect(h.recordingEvents().every((e) => e.cause === 'indication')).toBe(true);
  });

  it('detects a gap (a lost event) and rebuilds from EventAddressInfo', async () => {
    h = await startTelephony();
    await agents(h, [{ dn: '7202', agentId: 'a202' }]);
    const call = await answeredCall('7202');
    h.sim.setFaults({ drop: 1 });
    // The ON announcement is lost; the next event (EventHeld, which says nothing of recording) reveals the gap.
    await h.run('private-service', { call: call.connId, thisDn: '7202', operation: 'start' });
    await h.run('hold', { call: call.connId, dn: '7202' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7202']));
    expect(h.recordingEvents()[0].cause).toBe('resync');
    expect(h.source.link.stats.gaps).toBe(1);
    expect(rwsRecordings(h.source, ['7202'])).toEqual(simRecordings(h.sim, ['7202']));
  });

  it('drops a garbage line, rebuilds, and keeps the link', async () => {
    h = await startTelephony();
    await agents(h, [{ dn: '7203', agentId: 'a203', record: true }]);
    h.sim.setFaults({ garbage: 1 });
    await answeredCall('7203');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7203']));
    expect(h.source.link.stats.invalid).toBe(1);
    expect(h.source.link.stats.connects).toBe(1);
  });

  it('an agent who changes DN mid-shift: old DN unregistered, new one registered, same session', async () => {
    h = await startTelephony();
    await agents(h, [
      { dn: '7204', agentId: 'a204', record: true },
      { dn: '7205', record: true },
    ]);
    await h.service.endAgentSession('user-7205');
    const first = await answeredCall('7204');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7204']));
    const status = await h.service.startAgentSession('user-7204', 'Place_7205', [{ dn: '7205' }]);
    expect(status.devices.map((d) => `${d.dn}:${d.state}`)).toEqual(['7205:registered']);
    // The old DN's recording is no longer followed for this agent.
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7204', 'stopped:7204']));
    expect(h.recordingEvents()[1].cause).toBe('unmonitored');
    await expectEventually(() => expect(h.sim.state().servers).toMatchObject([{ links: [{ registered: ['7205'] }] }]));
    await h.run('release', { call: first.connId });
    const second = await h.run('call', { from: '+15550205', to: '7205' });
    await h.run('answer', { call: second.connId, dn: '7205' });
    await expectEventually(() => expect(h.recordingLog('7205')).toEqual(['started:7205']));
    expect(h.recordingEvents('7205')[0].agentKeys).toEqual(['user-7204']);
    expect(h.service.sessionDns('user-7204')).toEqual(['7205']);
  });

  it('handles a repeated EventAgentLogin idempotently', async () => {
    h = await startTelephony();
    await agents(h, [{ dn: '7206', agentId: 'a206', record: true }]);
    await h.run('login', { dn: '7206', agentId: 'a206', record: false });
    await h.run('login', { dn: '7206', agentId: 'a206', record: false });
    await answeredCall('7206');
    await expectEventually(() => expect(h.recordingEvents('7206').map((e) => e.agentId)).toEqual(['a206']));
  });

  it('times out a request the server never answers (504), then carries on', async () => {
    h = await startTelephony({ source: { link: { requestTimeoutMs: 200 } } });
    await agents(h, [{ dn: '7207', agentId: 'a207' }]);
    const call = await answeredCall('7207');
    h.sim.setFaults({ swallowRequests: 1 });
    const error = await h.service.controlRecording('7207', call.callUuid, 'StartCallRecording').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelephonyTimeoutException);
    expect((error as TelephonyTimeoutException).code).toBe(ErrorCode.DependencyTimeout);
    await h.service.controlRecording('7207', call.callUuid, 'StartCallRecording');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7207']));
  });

  it('answers 503 while the only server is down, and rebuilds when it returns', async () => {
    h = await startTelephony();
    await agents(h, [{ dn: '7208', agentId: 'a208', record: true }]);
    const call = await answeredCall('7208');
    await h.run('kill', { server: 'primary' });
    await expectEventually(() => expect(h.source.isUp()).toBe(false));
    expect(() => h.service.listCalls('7208')).toThrow(TelephonyUnavailableException);
    const error = await h.service.controlRecording('7208', call.callUuid, 'PauseCallRecording').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelephonyUnavailableException);
    expect((error as DependencyUnavailableException).options.retryAfterSeconds).toBeGreaterThan(0);
    await h.run('restart', { server: 'primary' });
    await expectEventually(() => expect(h.source.isUp()).toBe(true), 10_000);
    await expectEventually(() => expect(h.service.listCalls('7208')[0]?.recordingState).toBe('Recording'));
    expect(h.recordingLog()).toEqual(['started:7208', 'paused:7208', 'resumed:7208']);
  });

  it('reports a DN the server refuses to register, without failing the session', async () => {
    h = await startTelephony({ sim: { strictDns: true } });
    const status = await h.service.startAgentSession('user-x', 'Place_X', [{ dn: '9999' }]);
    expect(status.devices).toEqual([{ dn: '9999', state: 'refused', holders: ['user-x'], error: 'Invalid DN 9999 (ErrorCode 107)' }]);
    expect(h.source.isUp()).toBe(true);
  });
});
