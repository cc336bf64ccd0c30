import { Logger } from '@nestjs/common';
import { InProcessRecordingEvents, RecordingEvent, TelephonyEvent } from '../recording-events';
import type { TlibMessage } from '../tlib/tlib-messages';
import { CallStateMachine } from './call-state-machine';

const U1 = 'AM5D3AE9D90757BKTSVJTCIAR4000014';
const U2 = 'BM5D3AE9D90757BKTSVJTCIAR4000099';
const C1 = '006c02462a161006';
const C2 = '006c02462a161007';

function setup(monitored = ['7001', '7002'], policy: 'pause' | 'keep' = 'pause') {
  Logger.overrideLogger(false);
  const bus = new InProcessRecordingEvents();
  const events: TelephonyEvent[] = [];
  bus.subscribe((e) => {
    events.push(e);
  });
  const dns = new Set(monitored);
  const machine = new CallStateMachine(bus, { isMonitored: (dn) => dns.has(dn), holdersOf: (dn) => (dns.has(dn) ? [`user-${dn}`] : []) }, policy);
  const log = () => events.filter((e): e is RecordingEvent => e.kind === 'recording').map((e) => `${e.type}:${e.agentDn}:${e.cause}`);
  const apply = (m: Partial<TlibMessage> & { message: TlibMessage['message'] }) => machine.apply({ CallUUID: U1, ConnID: C1, ...m } as TlibMessage);
  const record = (thisDn: string, state: string, fnDn = thisDn, uuid = U1, conn = C1) =>
    apply({ message: 'EventAttachedDataChanged', ThisDN: thisDn, CallUUID: uuid, ConnID: conn, UserData: { GSIP_RECORD: state, GSIP_REC_FN: `${uuid}_${fnDn}_20250101` } });
  return { machine, events, log, apply, record, dns };
}

describe('CallStateMachine', () => {
  it('turns GSIP_RECORD changes into started/paused/resumed/stopped for the recorded party, once per change', () => {
    const { apply, record, log, machine } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001', OtherDN: '+1555' });
    record('7001', 'ON');
    record('7001', 'ON');
    record('7001', 'Paused');
    record('7001', 'paused');
    record('7001', 'On');
    record('7001', 'OFF');
    expect(log()).toEqual(['started:7001:indication', 'paused:7001:indication', 'resumed:7001:indication', 'stopped:7001:indication']);
    expect(machine.recordings()).toEqual([]);
    expect(machine.callsOf('7001')[0]).toMatchObject({ id: U1, connId: C1, state: 'Established', recordingState: 'Stopped' });
  });

  it('stops on EventReleased of the recorded party without OFF, and forgets the call', () => {
    const { apply, record, log, machine } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001', OtherDN: '+1555' });
    record('7001', 'ON');
    apply({ message: 'EventReleased', ThisDN: '7001' });
    expect(log()).toEqual(['started:7001:indication', 'stopped:7001:party-left']);
    expect(machine.callCount).toBe(0);
  });

  it('keeps per-party state in a conference: both DNs see the change, only the named party is recorded', () => {
    const { apply, record, log, machine } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001', OtherDN: '+1555' });
    apply({ message: 'EventPartyChanged', ThisDN: '7002', OtherDN: '7001' });
    apply({ message: 'EventPartyAdded', ThisDN: '7001', ThirdPartyDN: '7002' });
    record('7001', 'ON', '7002');
    record('7002', 'ON', '7002');
    expect(log()).toEqual(['started:7002:indication']);
    expect(machine.callsOf('7001')[0].recordingState).toBe('Recording');
    expect(machine.callsOf('7002')[0].capabilities).toEqual(['StopCallRecording', 'PauseCallRecording']);
    apply({ message: 'EventPartyDeleted', ThisDN: '7001', ThirdPartyDN: '7002' });
    expect(log()).toEqual(['started:7002:indication', 'stopped:7002:party-left']);
    expect(machine.callsOf('7002')).toEqual([]);
    expect(machine.callsOf('7001')).toHaveLength(1);
  });

  it('moves a party onto the main call on EventPartyChanged with PreviousConnID (two-step transfer)', () => {
    const { apply, record, log, machine } = setup(['7002']);
    // 7002 on the consult call, recorded there; the transfer completes onto the main call.
    apply({ message: 'EventEstablished', ThisDN: '7002', CallUUID: U2, ConnID: C2, OtherDN: '7001' });
    record('7002', 'ON', '7002', U2, C2);
    apply({ message: 'EventPartyChanged', ThisDN: '7002', CallUUID: U1, ConnID: C1, PreviousConnID: C2, OtherDN: '+1555', ThirdPartyDN: '7001', ThirdPartyDNRole: 7 });
    expect(log()).toEqual(['started:7002:indication', 'stopped:7002:party-left']);
    expect(machine.findCall(U2)).toBeUndefined();
    expect(machine.callsOf('7002').map((c) => `${c.id}/${c.connId}`)).toEqual([`${U1}/${C1}`]);
    expect(machine.callsOf('7002')[0].participants.map((p) => p.number)).toEqual(['+1555']);
  });

  it('follows a ConnID change of the same call', () => {
    const { apply, machine } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001' });
    apply({ message: 'EventPartyChanged', ThisDN: '7001', ConnID: C2, PreviousConnID: C1 });
    expect(machine.callsOf('7001').map((c) => c.connId)).toEqual([C2]);
    apply({ message: 'EventHeld', ThisDN: '7001', CallUUID: undefined, ConnID: C2 });
    expect(machine.callsOf('7001')[0].state).toBe('Held');
  });

  it('ignores a recording indication copied from another call, and never starts on an unreadable value', () => {
    const { apply, record, log } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001', CallUUID: U2, ConnID: C2 });
    record('7001', 'ON', '7001', U1, C2); // file name of U1 on call U2
    apply({ message: 'EventAttachedDataChanged', ThisDN: '7001', CallUUID: U2, ConnID: C2, UserData: { GSIP_RECORD: 'WHATEVER', GSIP_REC_FN: `${U2}_7001_x` } });
    expect(log()).toEqual([]);
    record('7001', 'ON', '7001', U2, C2);
    apply({ message: 'EventAttachedDataChanged', ThisDN: '7001', CallUUID: U2, ConnID: C2, UserData: { GSIP_RECORD: 'WHATEVER', GSIP_REC_FN: `${U2}_7001_20250101` } });
    expect(log()).toEqual(['started:7001:indication', 'paused:7001:indication']);
  });

  it('pauses running recordings when the link drops, and resumes or stops them from the snapshot', () => {
    const { apply, record, log, machine } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001', CallUUID: U1, ConnID: C1 });
    record('7001', 'ON');
    apply({ message: 'EventEstablished', ThisDN: '7002', CallUUID: U2, ConnID: C2 });
    record('7002', 'ON', '7002', U2, C2);
    machine.linkDown();
    expect(log().slice(2)).toEqual(['paused:7001:link-down', 'paused:7002:link-down']);
    apply({
      message: 'EventRegistered',
      ThisDN: '7001',
      ReferenceID: 1,
      Calls: [{ ConnID: 'aa', CallUUID: U1, Parties: [{ DN: '7001', State: 'Established' }, { DN: '+1555' }], Recordings: [{ DN: '7001', State: 'ON' }] }],
    });
    apply({ message: 'EventRegistered', ThisDN: '7002', ReferenceID: 2, Calls: [] });
    expect(log().slice(4)).toEqual(['resumed:7001:resync', 'stopped:7002:resync']);
    expect(machine.callsOf('7001')[0].connId).toBe('aa');
    expect(machine.callCount).toBe(1);
  });

  it('keeps recordings running through a link loss with the keep policy', () => {
    const { apply, record, log, machine } = setup(['7001'], 'keep');
    apply({ message: 'EventEstablished', ThisDN: '7001' });
    record('7001', 'ON');
    machine.linkDown();
    expect(log()).toEqual(['started:7001:indication']);
  });

  it('learns a recording from a snapshot as started then paused, and from UserData when Recordings is absent', () => {
    const { apply, log } = setup();
    apply({ message: 'EventAddressInfo', ThisDN: '7001', ReferenceID: 1, Calls: [{ ConnID: C1, CallUUID: U1, Parties: [{ DN: '7001' }], Recordings: [{ DN: '7001', State: 'Paused' }] }] });
    apply({
      message: 'EventAddressInfo',
      ThisDN: '7002',
      ReferenceID: 2,
      Calls: [{ ConnID: C2, CallUUID: U2, Parties: [{ DN: '7002' }], UserData: { GSIP_RECORD: 'ON', GSIP_REC_FN: `${U2}_7002_1` } }],
    });
    expect(log()).toEqual(['started:7001:resync', 'paused:7001:resync', 'started:7002:resync']);
  });

  it('marks the start of a recording first learned paused, so a screen recorder is never told to record before the pause', () => {
    const { apply, events } = setup();
    apply({ message: 'EventRegistered', ThisDN: '7001', ReferenceID: 1, Calls: [{ ConnID: C1, CallUUID: U1, Parties: [{ DN: '7001' }], Recordings: [{ DN: '7001', State: 'Paused' }] }] });
    apply({ message: 'EventRegistered', ThisDN: '7002', ReferenceID: 2, Calls: [{ ConnID: C2, CallUUID: U2, Parties: [{ DN: '7002' }], Recordings: [{ DN: '7002', State: 'On' }] }] });
    const starts = events.filter((e): e is RecordingEvent => e.kind === 'recording' && e.type === 'started');
    expect(starts.map((e) => [e.agentDn, e.pausedAtStart ?? false])).toEqual([
      ['7001', true],
      ['7002', false],
    ]);
  });

  it('ignores events and snapshots of DNs it does not monitor, and stops what a forgotten DN recorded', () => {
    const { apply, record, log, machine, dns } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7009' });
    expect(machine.callCount).toBe(0);
    apply({ message: 'EventEstablished', ThisDN: '7001' });
    record('7001', 'ON');
    dns.delete('7001');
    machine.forgetDn('7001');
    expect(log()).toEqual(['started:7001:indication', 'stopped:7001:unmonitored']);
    expect(machine.callCount).toBe(0);
  });

  it('takes the agent id from EventAgentLogin (repeatable) and drops it on logout', () => {
    const { apply, record, events } = setup();
    apply({ message: 'EventAgentLogin', ThisDN: '7001', AgentID: 'a1' });
    apply({ message: 'EventAgentLogin', ThisDN: '7001', AgentID: 'a1' });
    apply({ message: 'EventEstablished', ThisDN: '7001' });
    record('7001', 'ON');
    apply({ message: 'EventAgentLogout', ThisDN: '7001', AgentID: 'a1' });
    record('7001', 'OFF');
    const recordings = events.filter((e): e is RecordingEvent => e.kind === 'recording');
    expect(recordings.map((e) => e.agentId)).toEqual(['a1', undefined]);
    expect(recordings[0].agentKeys).toEqual(['user-7001']);
  });

  it('stamps events with the server time when given', () => {
    const { apply, events } = setup();
    apply({ message: 'EventEstablished', ThisDN: '7001', TimeinSecs: 1763700000, TimeinuSecs: 250_000 });
    expect(events[0].at).toBe(1763700000250);
  });
});
