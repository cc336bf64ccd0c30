import type { AgentSettingsPort, RecordingWhen } from './agent-settings.port';
import { DesiredStateRegistry, ScreenTransition } from './desired-state-registry';
import type { AgentRef, RecordingSignal } from './recording-signals';
import { agentKeyOf } from './recording-signals';
import { screenRecordingId } from './screen-recording-id';

const ALICE: AgentRef = { ccid: 'cc-1', userName: 'alice', agentId: '7001' };
const BOB: AgentRef = { ccid: 'cc-1', userName: 'bob', agentId: '7002' };
const CALL_A = 'CALLAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const CALL_B = 'CALLBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const AT = '2025-01-01T10:00:00.000Z';

class Settings implements Pick<AgentSettingsPort, 'recordingWhen'> {
  readonly off = new Set<string>();
  recordingWhen(agent: AgentRef): RecordingWhen {
    return this.off.has(agent.userName) ? 'off' : 'voice';
  }
}

function signal(type: RecordingSignal['type'], callUuid: string, extra: Partial<RecordingSignal> = {}): RecordingSignal {
  return { type, agent: ALICE, callUuid, connId: `conn-${callUuid.slice(4, 5)}`, at: AT, ...extra };
}

function summary(transitions: ScreenTransition[]): string[] {
  return transitions.map((t) => `${t.action} ${t.screen.recordingId} ${t.screen.callUuid.slice(0, 5)} ${t.screen.state}`);
}

describe('DesiredStateRegistry', () => {
  let settings: Settings;
  let registry: DesiredStateRegistry;
  let ids: number;

  beforeEach(() => {
    settings = new Settings();
    ids = 0;
    registry = new DesiredStateRegistry(settings, () => `rec-${++ids}`);
  });

  it('starts one screen recording, with a new id, when the first voice recording starts', () => {
    expect(summary(registry.apply(signal('started', CALL_A)))).toEqual(['start rec-1 CALLA recording']);
    expect(registry.snapshot(agentKeyOf(ALICE))).toEqual({ recordingId: 'rec-1', callUuid: CALL_A, state: 'recording' });
    expect(registry.desired(agentKeyOf(ALICE))).toMatchObject({ connId: 'conn-A', startedAt: AT });
  });

  it('starts nothing for a second recorded call while the first lasts', () => {
    registry.apply(signal('started', CALL_A));
    expect(registry.apply(signal('started', CALL_B))).toEqual([]);
    expect(registry.snapshot(agentKeyOf(ALICE))?.recordingId).toBe('rec-1');
  });

  it('pauses and resumes the same screen recording with its call', () => {
    registry.apply(signal('started', CALL_A));
    expect(summary(registry.apply(signal('paused', CALL_A)))).toEqual(['pause rec-1 CALLA paused']);
    expect(registry.snapshot(agentKeyOf(ALICE))?.state).toBe('paused');
    expect(summary(registry.apply(signal('resumed', CALL_A)))).toEqual(['resume rec-1 CALLA recording']);
  });

  it('pauses the screen while any recorded call of the agent is paused (PCI fail safe)', () => {
    registry.apply(signal('started', CALL_A));
    registry.apply(signal('started', CALL_B));
    expect(summary(registry.apply(signal('paused', CALL_B)))).toEqual(['pause rec-1 CALLA paused']);
    expect(registry.apply(signal('paused', CALL_A))).toEqual([]);
    expect(registry.apply(signal('resumed', CALL_B))).toEqual([]);
    expect(summary(registry.apply(signal('resumed', CALL_A)))).toEqual(['resume rec-1 CALLA recording']);
  });

  it('when the first call stops and another is still recorded, stops its screen recording and starts one for the other', () => {
    registry.apply(signal('started', CALL_A));
    registry.apply(signal('started', CALL_B));
    expect(summary(registry.apply(signal('stopped', CALL_A)))).toEqual(['stop rec-1 CALLA recording', 'start rec-2 CALLB recording']);
    expect(registry.snapshot(agentKeyOf(ALICE))).toEqual({ recordingId: 'rec-2', callUuid: CALL_B, state: 'recording' });
  });

  it('never starts a new screen recording while the remaining call is paused', () => {
    registry.apply(signal('started', CALL_A));
    registry.apply(signal('started', CALL_B));
    registry.apply(signal('paused', CALL_B));
    expect(summary(registry.apply(signal('stopped', CALL_A)))).toEqual(['stop rec-1 CALLA paused']);
    expect(registry.snapshot(agentKeyOf(ALICE))).toBeNull();
    expect(summary(registry.apply(signal('resumed', CALL_B)))).toEqual(['start rec-2 CALLB recording']);
  });

  it('stops when the last recorded call stops, and forgets the idle agent', () => {
    registry.apply(signal('started', CALL_A));
    expect(summary(registry.apply(signal('stopped', CALL_A)))).toEqual(['stop rec-1 CALLA recording']);
    expect(registry.snapshot(agentKeyOf(ALICE))).toBeNull();
    expect(registry.size).toBe(0);
  });

  it('adds a call first reported paused as paused and starts nothing until it resumes', () => {
    expect(registry.apply(signal('paused', CALL_A))).toEqual([]);
    expect(registry.snapshot(agentKeyOf(ALICE))).toBeNull();
    expect(summary(registry.apply(signal('resumed', CALL_A)))).toEqual(['start rec-1 CALLA recording']);
  });

  it('ignores a stop for a call it does not know, and repeated starts', () => {
    expect(registry.apply(signal('stopped', CALL_A))).toEqual([]);
    registry.apply(signal('started', CALL_A));
    expect(registry.apply(signal('started', CALL_A))).toEqual([]);
    expect(registry.apply(signal('resumed', CALL_A))).toEqual([]);
  });

  it('follows the ConnID of a transferred call without a new screen recording', () => {
    registry.apply(signal('started', CALL_A));
    expect(registry.apply(signal('started', CALL_A, { connId: 'conn-after-transfer' }))).toEqual([]);
    expect(registry.desired(agentKeyOf(ALICE))?.connId).toBe('conn-after-transfer');
  });

  it('is driven by voice only (blended agents)', () => {
    expect(registry.apply(signal('started', CALL_A, { mediaType: 'chat' }))).toEqual([]);
    expect(registry.apply(signal('started', CALL_B, { mediaType: 'email' }))).toEqual([]);
    expect(registry.snapshot(agentKeyOf(ALICE))).toBeNull();
    expect(summary(registry.apply(signal('started', CALL_A, { mediaType: 'voice' })))).toEqual(['start rec-1 CALLA recording']);
  });

  it('records nothing for an agent with recordingWhen=off, and follows a change of the setting', () => {
    settings.off.add('alice');
    expect(registry.apply(signal('started', CALL_A))).toEqual([]);
    expect(registry.snapshot(agentKeyOf(ALICE))).toBeNull();
    settings.off.delete('alice');
    expect(summary(registry.refresh(ALICE, AT))).toEqual(['start rec-1 CALLA recording']);
    settings.off.add('alice');
    expect(summary(registry.refresh(ALICE, AT))).toEqual(['stop rec-1 CALLA recording']);
  });

  it('keeps agents apart', () => {
    registry.apply(signal('started', CALL_A));
    expect(summary(registry.apply(signal('started', CALL_B, { agent: BOB })))).toEqual(['start rec-2 CALLB recording']);
    registry.apply(signal('paused', CALL_B, { agent: BOB }));
    expect(registry.snapshot(agentKeyOf(ALICE))?.state).toBe('recording');
    expect(registry.snapshot(agentKeyOf(BOB))?.state).toBe('paused');
  });

  describe('snapshots after a telephony gap or switchover (never a replay)', () => {
    it('keeps the same recording id when the mapped call survives, and takes its reported state', () => {
      registry.apply(signal('started', CALL_A));
      const transitions = registry.replaceCalls(ALICE, [{ callUuid: CALL_A, connId: 'conn-new', state: 'paused' }], AT);
      expect(summary(transitions)).toEqual(['pause rec-1 CALLA paused']);
      expect(registry.desired(agentKeyOf(ALICE))).toMatchObject({ recordingId: 'rec-1', connId: 'conn-new' });
    });

    it('stops a screen recording whose call ended while the link was down', () => {
      registry.apply(signal('started', CALL_A));
      expect(summary(registry.replaceCalls(ALICE, [], AT))).toEqual(['stop rec-1 CALLA recording']);
      expect(registry.size).toBe(0);
    });

    it('starts for a call that began during the gap, and keeps the first call first', () => {
      expect(summary(registry.replaceCalls(ALICE, [{ callUuid: CALL_B, connId: 'b', state: 'recording' }], AT))).toEqual(['start rec-1 CALLB recording']);
      registry.replaceCalls(ALICE, [
        { callUuid: CALL_A, connId: 'a', state: 'recording' },
        { callUuid: CALL_B, connId: 'b', state: 'recording' },
      ], AT);
      expect(registry.snapshot(agentKeyOf(ALICE))).toMatchObject({ recordingId: 'rec-1', callUuid: CALL_B });
    });

    it('a full snapshot clears every agent it does not list', () => {
      registry.apply(signal('started', CALL_A));
      registry.apply(signal('started', CALL_B, { agent: BOB }));
      const transitions = registry.replaceAll([{ agent: BOB, recordings: [{ callUuid: CALL_B, connId: 'b', state: 'recording' }] }], AT);
      expect(summary(transitions)).toEqual(['stop rec-1 CALLA recording']);
      expect(registry.snapshot(agentKeyOf(BOB))?.recordingId).toBe('rec-2');
    });
  });

  describe('deterministic screen recording ids (the app default)', () => {
    it('two registries (two nodes, or a new home after a takeover) derive the same id for the same agent and call', () => {
      const first = new DesiredStateRegistry(settings);
      const second = new DesiredStateRegistry(settings);
      const [a] = first.apply(signal('started', CALL_A));
      const [b] = second.apply(signal('started', CALL_A));
      expect(a.screen.recordingId).toBe(screenRecordingId(ALICE, CALL_A));
      expect(b.screen.recordingId).toBe(a.screen.recordingId);
      expect(second.apply(signal('started', CALL_B, { agent: BOB }))[0].screen.recordingId).not.toBe(a.screen.recordingId);
    });

    it('the same call recorded again on the same home gets a new id (generation 2), never the stopped one', () => {
      const home = new DesiredStateRegistry(settings);
      const [first] = home.apply(signal('started', CALL_A));
      home.apply(signal('stopped', CALL_A));
      const [again] = home.apply(signal('started', CALL_A));
      expect(again.action).toBe('start');
      expect(again.screen.recordingId).toBe(screenRecordingId(ALICE, CALL_A, 2));
      expect(again.screen.recordingId).not.toBe(first.screen.recordingId);
    });
  });
});
