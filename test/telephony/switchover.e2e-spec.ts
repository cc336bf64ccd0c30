import { TelephonyUnavailableException } from '../../src/telephony/telephony.exception';
import { agents, expectEventually, rwsRecordings, simRecordings, startTelephony, TelephonyHarness } from './telephony-harness';

const DNS = ['7101', '7102', '7103', '7104'];

/** Sets up four agents: 7101 paused, 7102 recording, 7103 recording (its call will end), 7104 not recorded. */
async function callsInProgress(h: TelephonyHarness): Promise<Record<string, { connId: string; callUuid: string }>> {
  await agents(h, [
    { dn: '7101', agentId: 'a101', record: true },
    { dn: '7102', agentId: 'a102', record: true },
    { dn: '7103', agentId: 'a103', record: true },
    { dn: '7104', agentId: 'a104' },
  ]);
  const calls: Record<string, { connId: string; callUuid: string }> = {};
  for (const dn of DNS) {
    calls[dn] = await h.run('call', { from: `+1555${dn}`, to: dn });
    await h.run('answer', { call: calls[dn].connId, dn });
  }
  await h.run('private-service', { call: calls['7101'].connId, thisDn: '7101', operation: 'pause' });
  await expectEventually(() => expect(rwsRecordings(h.source, DNS)).toEqual(simRecordings(h.sim, DNS)));
  expect(simRecordings(h.sim, DNS)).toHaveLength(3);
  return calls;
}

describe('HA switchover: the primary dies mid-call', () => {
  let h: TelephonyHarness;
  afterEach(async () => h.close());

  it('rebuilds from the backup: state matches the simulator, no phantom recording, no missed stop', async () => {
    h = await startTelephony({ sim: { backupPort: 0, switchoverDelayMs: 300 } });
    const calls = await callsInProgress(h);
    const before = h.recordingEvents().length;

    await h.run('kill', { server: 'primary' });
    await expectEventually(() => expect(h.source.isUp()).toBe(false));
    // While nobody serves: when in doubt, pause; and the desktop is told the truth (503), not stale calls.
    await expectEventually(() => expect(h.source.state.recordings().every((r) => r.state === 'paused')).toBe(true));
    expect(() => h.service.listCalls('7102')).toThrow(TelephonyUnavailableException);
    // Things change while the link is down: 7103's call ends, 7101 resumes, 7102 is paused.
    await h.run('release', { call: calls['7103'].connId });
    await h.run('private-service', { call: calls['7101'].connId, thisDn: '7101', operation: 'resume' });
    await h.run('private-service', { call: calls['7102'].connId, thisDn: '7102', operation: 'pause' });

    await expectEventually(() => expect(h.source.link.server?.serverName).toBe('backup'), 10_000);
    await expectEventually(() => expect(rwsRecordings(h.source, DNS)).toEqual(simRecordings(h.sim, DNS)));
    expect(simRecordings(h.sim, DNS)).toEqual(
      [`${calls['7101'].callUuid}/7101/recording`, `${calls['7102'].callUuid}/7102/paused`].sort(),
    );

    const after = h.recordingEvents().slice(before).map((e) => `${e.type}:${e.agentDn}:${e.cause}`);
    expect(after.filter((e) => e.endsWith(':link-down')).sort()).toEqual(['paused:7102:link-down', 'paused:7103:link-down']);
    // No missed stop: the call that ended while the link was down is stopped by the rebuild.
    expect(after).toContain('stopped:7103:resync');
    expect(after).toContain('resumed:7101:resync');
    // No phantom: nothing starts on resync (every recording already existed), and 7104 never records.
    expect(after.filter((e) => e.startsWith('started'))).toEqual([]);
    expect(h.recordingLog('7104')).toEqual([]);
    expect(h.service.listCalls('7103')).toEqual([]);
    expect(h.service.listCalls('7102')[0]).toMatchObject({ id: calls['7102'].callUuid, recordingState: 'Paused' });
    // The backup serves requests for the rebuilt calls.
    await h.service.controlRecording('7102', calls['7102'].callUuid, 'ResumeCallRecording');
    await expectEventually(() => expect(h.sim.model.call(calls['7102'].callUuid).recordings.get('7102')?.state).toBe('ON'));
  });

  it('follows calls whose ConnIDs changed across the switchover (CallUUID is the key)', async () => {
    h = await startTelephony({ sim: { backupPort: 0, newConnIdsOnSwitchover: true } });
    const calls = await callsInProgress(h);
    await h.run('kill', { server: 'primary' });
    await expectEventually(() => expect(h.source.link.server?.serverName).toBe('backup'), 10_000);
    await expectEventually(() => expect(rwsRecordings(h.source, DNS)).toEqual(simRecordings(h.sim, DNS)));
    const newConnId = h.sim.model.call(calls['7102'].callUuid).connId;
    expect(newConnId).not.toBe(calls['7102'].connId);
    expect(h.service.listCalls('7102')[0]).toMatchObject({ id: calls['7102'].callUuid, connId: newConnId });
    await h.service.controlRecording('7102', calls['7102'].callUuid, 'PauseCallRecording');
    await expectEventually(() => expect(h.recordingEvents('7102').map((e) => `${e.type}:${e.cause}:${e.connId}`).pop()).toBe(`paused:indication:${newConnId}`));
    // Nothing was started or stopped by the switchover itself: only the fail-safe pause and its resume.
    expect(h.recordingEvents().filter((e) => e.cause === 'resync').map((e) => `${e.type}:${e.agentDn}`).sort()).toEqual(['resumed:7102', 'resumed:7103']);
  });

  it('a restarted primary comes back as standby; killing the backup then fails over to it', async () => {
    h = await startTelephony({ sim: { backupPort: 0 } });
    const calls = await callsInProgress(h);
    await h.run('kill', { server: 'primary' });
    await expectEventually(() => expect(h.source.link.server?.serverName).toBe('backup'), 10_000);
    await h.run('restart', { server: 'primary' });
    expect(h.sim.server('primary').role).toBe('standby');
    await h.run('release', { call: calls['7101'].connId });
    await h.run('kill', { server: 'backup' });
    await expectEventually(() => expect(h.source.link.server?.serverName).toBe('primary'), 10_000);
    await expectEventually(() => expect(rwsRecordings(h.source, DNS)).toEqual(simRecordings(h.sim, DNS)));
    expect(h.recordingLog('7101')).toEqual(['started:7101', 'paused:7101', 'stopped:7101']);
  });
});
