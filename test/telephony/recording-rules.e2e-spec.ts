import { TelephonyRefusedException } from '../../src/telephony/telephony.exception';
import { agents, expectEventually, rwsRecordings, simRecordings, startTelephony, TelephonyHarness } from './telephony-harness';

/**
 * One test per recording rule of the source documents, driven through the simulator and observed as the
 * domain events RWS publishes (what a screen recorder would follow).
 */
describe('recording rules (seed documents) through the SIP Server link', () => {
  let h: TelephonyHarness;

  beforeEach(async () => {
    h = await startTelephony();
  });
  afterEach(async () => h.close());

  const converged = (dns: string[]) => expectEventually(() => expect(rwsRecordings(h.source, dns)).toEqual(simRecordings(h.sim, dns)));

  it('full-time: a DN with record=true is recorded from answer to release; release without OFF is the stop', async () => {
    await agents(h, [{ dn: '7001', agentId: 'agent1', record: true }]);
    const call = await h.run('call', { from: '+15550001', to: '7001' });
    expect(h.recordingLog()).toEqual([]);
    await h.run('answer', { call: call.connId, dn: '7001' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7001']));
    const started = h.recordingEvents()[0];
    expect(started).toMatchObject({ agentId: 'agent1', agentKeys: ['user-7001'], callUuid: call.callUuid, connId: call.connId, cause: 'indication' });
    expect(started.fileName?.startsWith(`${call.callUuid}_7001_`)).toBe(true);
    await h.run('hold', { call: call.connId, dn: '7001' });
    await h.run('retrieve', { call: call.connId, dn: '7001' });
    await h.run('release', { call: call.connId, dn: '7001' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7001', 'stopped:7001']));
    // The call ended without an OFF announcement: the recorded party's EventReleased stopped it.
    expect(h.recordingEvents()[1].cause).toBe('party-left');
    expect(h.service.listCalls('7001')).toEqual([]);
  });

  it('full-time: Agent Login record=true records an agent whose DN has no record option', async () => {
    await agents(h, [{ dn: '7002', agentId: 'agent2', record: false, loginRecord: true }]);
    const call = await h.run('call', { from: '7002', to: '+15550002' });
    await h.run('answer', { call: call.connId, dn: '+15550002' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7002']));
    await converged(['7002']);
  });

  it('full-time: consult calls are recorded only when the DN option says so', async () => {
    await agents(h, [
      { dn: '7003', agentId: 'a3', record: true, recordConsult: false },
      { dn: '7004', agentId: 'a4', record: true, recordConsult: true },
    ]);
    const call = await h.run('call', { from: '+15550003', to: '7003' });
    await h.run('answer', { call: call.connId, dn: '7003' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7003']));
    const consult = await h.run('consult', { call: call.connId, from: '7003', to: '7004' });
    await h.run('answer', { call: consult.connId, dn: '7004' });
    // 7004 records consult calls, 7003 does not: only 7004 starts on the consult call.
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7003', 'started:7004']));
    expect(h.recordingEvents('7004')[0].callUuid).toBe(consult.callUuid);
    await converged(['7003', '7004']);
  });

  it('selective: TRouteCall record=destination starts recording at the routing destination, with id and partitions', async () => {
    await h.run('dn', { number: '5000', type: 'RoutingPoint' });
    await agents(h, [{ dn: '7010', agentId: 'a10' }]);
    const call = await h.run('call', { from: '+15550010', to: '5000' });
    await h.run('route', { call: call.connId, to: '7010', extensions: { record: 'destination', id: 'rec-0001', partitions: '/sales,/emea' } });
    await h.run('answer', { call: call.connId, dn: '7010' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7010']));
    expect(h.recordingEvents()[0].partitions).toEqual(['/sales', '/emea']);
    expect(h.sim.model.call(call.connId).recordings.get('7010')?.id).toBe('rec-0001');
  });

  it('selective: the agent transferring stops it, and record=disable_destination keeps the next destination unrecorded', async () => {
    await h.run('dn', { number: '5000', type: 'RoutingPoint' });
    await h.run('dn', { number: '5001', type: 'RoutingPoint' });
    await agents(h, [
      { dn: '7011', agentId: 'a11' },
      { dn: '7012', agentId: 'a12', record: true },
    ]);
    const call = await h.run('call', { from: '+15550011', to: '5000' });
    await h.run('route', { call: call.connId, to: '7011', extensions: { record: 'destination' } });
    await h.run('answer', { call: call.connId, dn: '7011' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7011']));
    await h.run('transfer', { call: call.connId, from: '7011', to: '5001' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7011', 'stopped:7011']));
    // 7012 records full-time, but the strategy disables destination recording for this route.
    await h.run('route', { call: call.connId, to: '7012', extensions: { record: 'disable_destination' } });
    await h.run('answer', { call: call.connId, dn: '7012' });
    await expectEventually(() => expect(h.service.listCalls('7012')[0]?.state).toBe('Established'));
    expect(h.recordingLog()).toEqual(['started:7011', 'stopped:7011']);
    expect(h.sim.model.call(call.connId).recordings.size).toBe(0);
  });

  it('selective: record=disable_destination stops a running selective recording at once', async () => {
    await h.run('dn', { number: '5000', type: 'RoutingPoint' });
    await h.run('dn', { number: '5001', type: 'RoutingPoint' });
    await agents(h, [
      { dn: '7013', agentId: 'a13' },
      { dn: '7014', agentId: 'a14' },
    ]);
    const call = await h.run('call', { from: '+15550013', to: '5000' });
    // record=source records the caller, for as long as the caller stays.
    await h.run('route', { call: call.connId, to: '7013', extensions: { record: 'source' } });
    await h.run('answer', { call: call.connId, dn: '7013' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:+15550013']));
    await h.run('transfer', { call: call.connId, from: '7013', to: '5001' });
    await h.run('route', { call: call.connId, to: '7014', extensions: { record: 'disable_destination' } });
    await h.run('answer', { call: call.connId, dn: '7014' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:+15550013', 'stopped:+15550013']));
    expect(h.sim.model.call(call.connId).recordings.size).toBe(0);
  });

  it('dynamic: start, pause, resume and stop from the desktop (RequestPrivateService 3013–3016 → EventACK)', async () => {
    await agents(h, [{ dn: '7020', agentId: 'a20' }]);
    const call = await h.run('call', { from: '+15550020', to: '7020' });
    await h.run('answer', { call: call.connId, dn: '7020' });
    await expectEventually(() => expect(h.service.listCalls('7020')).toHaveLength(1));
    expect(h.service.listCalls('7020')[0]).toMatchObject({ id: call.callUuid, recordingState: 'Stopped', capabilities: ['StartCallRecording'] });
    await h.service.controlRecording('7020', call.callUuid, 'StartCallRecording');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7020']));
    expect(h.service.listCalls('7020')[0]).toMatchObject({ recordingState: 'Recording', capabilities: ['StopCallRecording', 'PauseCallRecording'] });
    await h.service.controlRecording('7020', call.callUuid, 'PauseCallRecording');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7020', 'paused:7020']));
    expect(h.sim.model.call(call.connId).recordings.get('7020')?.state).toBe('PAUSED');
    await h.service.controlRecording('7020', call.callUuid, 'ResumeCallRecording');
    await h.service.controlRecording('7020', call.callUuid, 'StopCallRecording');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7020', 'paused:7020', 'resumed:7020', 'stopped:7020']));
    expect(h.sim.model.call(call.connId).recordings.size).toBe(0);
    // A full-time recording can be controlled the same way.
    const notifications = h.events.filter((e) => e.kind === 'call' && e.notificationType === 'CallRecordingStateChange');
    expect(notifications.length).toBeGreaterThanOrEqual(4);
  });

  it('dynamic: a supervisor controls an agent’s full-time recording (requester named in Reasons)', async () => {
    await agents(h, [{ dn: '7021', agentId: 'a21', record: true }]);
    const call = await h.run('call', { from: '+15550021', to: '7021' });
    await h.run('answer', { call: call.connId, dn: '7021' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7021']));
    expect(h.service.listCalls('7021')[0].recordingState).toBe('Recording');
    await h.service.controlRecording('7021', call.callUuid, 'PauseCallRecording', 'supervisor1');
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7021', 'paused:7021']));
  });

  it('mid-call control is refused when not recording: EventError → 409 with the server’s error', async () => {
    await agents(h, [{ dn: '7030', agentId: 'a30' }]);
    const call = await h.run('call', { from: '+15550030', to: '7030' });
    await h.run('answer', { call: call.connId, dn: '7030' });
    await expectEventually(() => expect(h.service.listCalls('7030')).toHaveLength(1));
    for (const operation of ['PauseCallRecording', 'ResumeCallRecording', 'StopCallRecording'] as const) {
      const error = await h.service.controlRecording('7030', call.callUuid, operation).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TelephonyRefusedException);
      expect((error as TelephonyRefusedException).serverErrorCode).toBe(102);
      expect((error as Error).message).toBe(`SIP Server refused ${operation}: No recording in progress (ErrorCode 102)`);
    }
    await h.service.controlRecording('7030', call.callUuid, 'StartCallRecording');
    const again = await h.service.controlRecording('7030', call.callUuid, 'StartCallRecording').catch((e: unknown) => e);
    expect((again as TelephonyRefusedException).serverErrorCode).toBe(103);
    const resume = await h.service.controlRecording('7030', call.callUuid, 'ResumeCallRecording').catch((e: unknown) => e);
    expect((resume as TelephonyRefusedException).serverErrorCode).toBe(105);
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7030']));
  });

  it('agent-side recording stops when the call is transferred to another agent (two-step), and starts for a recorded one (single-step)', async () => {
    await agents(h, [
      { dn: '7040', agentId: 'a40', record: true },
      { dn: '7041', agentId: 'a41' },
      { dn: '7042', agentId: 'a42', record: true },
    ]);
    const call = await h.run('call', { from: '+15550040', to: '7040' });
    await h.run('answer', { call: call.connId, dn: '7040' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7040']));
    const consult = await h.run('consult', { call: call.connId, from: '7040', to: '7041' });
    await h.run('answer', { call: consult.connId, dn: '7041' });
    await h.run('complete-transfer', { call: consult.connId, from: '7040' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7040', 'stopped:7040']));
    // 7041 moved onto the main call (EventPartyChanged with PreviousConnID): same CallUUID, not recorded.
    await expectEventually(() => expect(h.service.listCalls('7041').map((c) => c.id)).toEqual([call.callUuid]));
    expect(h.service.listCalls('7041')[0].recordingState).toBe('Stopped');
    await h.run('transfer', { call: call.connId, from: '7041', to: '7042' });
    await h.run('answer', { call: call.connId, dn: '7042' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7040', 'stopped:7040', 'started:7042']));
    expect(h.recordingEvents('7042')[0].callUuid).toBe(call.callUuid);
    expect(h.service.listCalls('7041')).toEqual([]);
    await converged(['7040', '7041', '7042']);
  });

  it('conference: recording continues while a recorded party remains and stops when none is left', async () => {
    await agents(h, [
      { dn: '7050', agentId: 'a50', record: true },
      { dn: '7051', agentId: 'a51', record: true },
    ]);
    const call = await h.run('call', { from: '+15550050', to: '7050' });
    await h.run('answer', { call: call.connId, dn: '7050' });
    const consult = await h.run('consult', { call: call.connId, from: '7050', to: '7051' });
    await h.run('answer', { call: consult.connId, dn: '7051' });
    await h.run('complete-conference', { call: consult.connId, from: '7050' });
    await expectEventually(() => expect(h.recordingLog().sort()).toEqual(['started:7050', 'started:7051']));
    await h.run('release', { call: call.connId, dn: '7050' });
    await expectEventually(() => expect(h.recordingLog()).toContain('stopped:7050'));
    expect(h.sim.model.call(call.connId).recordings.has('7051')).toBe(true);
    expect(h.service.listCalls('7051')[0].recordingState).toBe('Recording');
    expect(h.recordingLog('7051')).toEqual(['started:7051']);
    await h.run('release', { call: call.connId, dn: '7051' });
    await expectEventually(() => expect(h.recordingLog('7051')).toEqual(['started:7051', 'stopped:7051']));
    expect(h.source.state.recordings()).toEqual([]);
  });

  it('conference: only the recorded party drives its recorder', async () => {
    await agents(h, [
      { dn: '7060', agentId: 'a60', record: true },
      { dn: '7061', agentId: 'a61' },
    ]);
    const call = await h.run('call', { from: '+15550060', to: '7060' });
    await h.run('answer', { call: call.connId, dn: '7060' });
    await h.run('conference', { call: call.connId, from: '7060', to: '7061' });
    await h.run('answer', { call: call.connId, dn: '7061' });
    await expectEventually(() => expect(h.service.listCalls('7061')[0]?.state).toBe('Established'));
    await h.service.controlRecording('7060', call.callUuid, 'PauseCallRecording');
    await h.service.controlRecording('7060', call.callUuid, 'ResumeCallRecording');
    // Both DNs received every GSIP_RECORD change; only 7060's recorder has anything to do.
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7060', 'paused:7060', 'resumed:7060']));
    expect(h.recordingLog('7061')).toEqual([]);
    expect(h.service.listCalls('7061')[0].recordingState).toBe('Recording');
    await h.run('delete-party', { call: call.connId, dn: '7060', by: '7061' });
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:7060', 'paused:7060', 'resumed:7060', 'stopped:7060']));
    expect(h.service.listCalls('7061')[0].recordingState).toBe('Stopped');
  });

  it('IVR: a trunk group with record=true records until the call reaches an agent', async () => {
    await h.run('dn', { number: 'T1', type: 'TrunkGroup', record: true });
    await agents(h, [{ dn: '7070', agentId: 'a70' }]);
    const call = await h.run('call', { from: '+15550070', to: '7070', trunk: 'T1' });
    expect(h.sim.model.call(call.connId).recordings.get('T1')?.origin).toBe('trunk');
    await h.run('answer', { call: call.connId, dn: '7070' });
    await expectEventually(() => expect(h.sim.model.call(call.connId).recordings.size).toBe(0));
    // 7070 saw the trunk group's recording (events name T1, not 7070): 7070's recorder has nothing to do.
    await expectEventually(() => expect(h.recordingLog()).toEqual(['started:T1', 'stopped:T1']));
    expect(h.recordingLog('7070')).toEqual([]);
  });
});
