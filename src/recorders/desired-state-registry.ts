import type { AgentSettingsPort } from './agent-settings.port';
import type { CommandAction, DesiredScreenState, DesiredSnapshot } from './recorder-protocol';
import type { ActiveRecording, AgentRecordingsSnapshot, AgentRef, RecordingSignal } from './recording-signals';
import { agentKeyOf } from './recording-signals';
import { screenRecordingId } from './screen-recording-id';

/** Names the screen recording of one call (deterministic in the app: every node derives the same id). */
export type RecordingIdFactory = (agent: AgentRef, callUuid: string, generation: number) => string;

/** Calls whose screen-recording generation is remembered (a call recorded again long after is generation 1 again). */
const REMEMBERED_GENERATIONS = 20_000;
/** How many generations a takeover tries to recognise a recording by (a call recorded again more often starts over). */
const SEEDED_GENERATIONS_TRIED = 8;

/** The agent's screen recording as RWS wants it now. */
export interface DesiredScreen {
  recordingId: string;
  callUuid: string;
  connId: string;
  state: DesiredScreenState;
  partitions?: string[];
  startedAt: string;
  /**
   * Whether a recorder was ever told to record it (a start/resume command sent, or a welcome naming it):
   * one that no recorder heard of ends `missing` instead of `stopped`. Kept across re-derivations.
   */
  toldRecorder?: boolean;
}

/** One change of an agent's desired screen recording, to be turned into a recorder command. */
export interface ScreenTransition {
  agent: AgentRef;
  action: CommandAction;
  screen: DesiredScreen;
  /** Time of the telephony event that caused it. */
  at: string;
}

interface RecordedCall {
  connId: string;
  state: DesiredScreenState;
  partitions?: string[];
}

interface AgentEntry {
  agent: AgentRef;
  /** Recorded voice calls in the order their recording began (Map keeps insertion order). */
  calls: Map<string, RecordedCall>;
  screen: DesiredScreen | null;
}

/**
 * Per agent: the recorded voice calls and the one screen recording RWS wants (api.md §5, telephony.md).
 * Level-triggered: every input updates the calls, then `reconcile` derives the desired screen recording from
 * them and reports the transitions. Rules:
 * - at most one screen recording per agent, mapped to the first recorded voice call; a second recorded call
 *   starts nothing while the first lasts;
 * - when the mapped call's recording ends and another recorded call is still active, the screen recording
 *   stops and a new one (new id) starts for the oldest remaining call — each screen file then belongs to
 *   exactly one call, which is how players link screen to voice (by CallUUID);
 * - PCI fail safe: the screen is paused while ANY of the agent's recorded calls is paused (one screen shows
 *   every call), and a new screen recording waits until no call is paused;
 * - only voice drives (blended agents); `recordingWhen=off` suppresses (and stops a running one);
 * - snapshots replace the calls and keep the same recordingId when the mapped call survives (never a replay).
 */
export class DesiredStateRegistry {
  private readonly agents = new Map<string, AgentEntry>();
  /** Per agent and call: how many screen recordings this node started for it (insertion order = age). */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly settings: Pick<AgentSettingsPort, 'recordingWhen'>,
    private readonly newRecordingId: RecordingIdFactory = screenRecordingId,
  ) {}

  /** Applies one telephony signal; returns the screen transitions it causes (usually 0 or 1). */
  apply(signal: RecordingSignal): ScreenTransition[] {
    if (signal.mediaType !== undefined && signal.mediaType !== 'voice') return [];
    const key = agentKeyOf(signal.agent);
    let entry = this.agents.get(key);
    if (signal.type === 'stopped') {
      if (!entry || !entry.calls.delete(signal.callUuid)) return [];
    } else {
      entry ??= this.createEntry(key, signal.agent);
      const state: DesiredScreenState = signal.type === 'paused' ? 'paused' : 'recording';
      const known = entry.calls.get(signal.callUuid);
      if (known) {
        // ConnID changes on transfers; the CallUUID stays.
        known.connId = signal.connId;
        known.state = state;
        if (signal.partitions) known.partitions = signal.partitions;
      } else {
        // An unknown call reported paused is added paused: when in doubt, pause.
        entry.calls.set(signal.callUuid, { connId: signal.connId, state, partitions: signal.partitions });
      }
      entry.agent = mergeAgent(entry.agent, signal.agent);
    }
    return this.reconcile(key, entry, signal.at);
  }

  /** Replaces one agent's recorded calls with what telephony reports now (after a gap or a switchover). */
  replaceCalls(agent: AgentRef, recordings: ActiveRecording[], at: string): ScreenTransition[] {
    const key = agentKeyOf(agent);
    const voice = recordings.filter((r) => r.mediaType === undefined || r.mediaType === 'voice');
    let entry = this.agents.get(key);
    if (!entry && voice.length === 0) return [];
    entry ??= this.createEntry(key, agent);
    const reported = new Map(voice.map((r) => [r.callUuid, r]));
    const calls = new Map<string, RecordedCall>();
    // Surviving calls keep their order (the mapping to the first call must not flip), new ones follow.
    for (const callUuid of entry.calls.keys()) {
      const r = reported.get(callUuid);
      if (r) calls.set(callUuid, { connId: r.connId, state: r.state, partitions: r.partitions });
    }
    for (const r of voice) {
      if (!calls.has(r.callUuid)) calls.set(r.callUuid, { connId: r.connId, state: r.state, partitions: r.partitions });
    }
    entry.calls = calls;
    entry.agent = mergeAgent(entry.agent, agent);
    return this.reconcile(key, entry, at);
  }

  /** A full snapshot: every agent not listed has no recorded call any more. */
  replaceAll(snapshots: AgentRecordingsSnapshot[], at: string): ScreenTransition[] {
    const listed = new Set(snapshots.map((s) => agentKeyOf(s.agent)));
    const transitions: ScreenTransition[] = [];
    for (const [key, entry] of [...this.agents]) {
      if (!listed.has(key)) transitions.push(...this.replaceCalls(entry.agent, [], at));
    }
    for (const s of snapshots) transitions.push(...this.replaceCalls(s.agent, s.recordings, at));
    return transitions;
  }

  /** Whether this node follows the agent already (it has recorded calls or a screen recording). */
  follows(agentKey: string): boolean {
    return this.agents.has(agentKey);
  }

  /**
   * A node that starts following an agent another home followed (a takeover) continues that home's desired
   * screen recording: same id, same state, its call known — so telephony's view of the same call changes
   * nothing, and a call telephony no longer reports stops it. No-op when the agent is followed here already.
   */
  seed(agent: AgentRef, desired: { recordingId: string; callUuid: string; connId: string; state: DesiredScreenState }, at: string): void {
    const key = agentKeyOf(agent);
    if (this.agents.has(key)) return;
    const entry = this.createEntry(key, agent);
    entry.calls.set(desired.callUuid, { connId: desired.connId, state: desired.state });
    this.continueGeneration(agent, desired.callUuid, desired.recordingId);
    // Its home published it: a recorder was (or is being) told, and its metadata exists.
    entry.screen = { recordingId: desired.recordingId, callUuid: desired.callUuid, connId: desired.connId, state: desired.state, startedAt: at, toldRecorder: true };
  }

  /** Re-derives an agent's screen recording after its settings changed (e.g. recordingWhen turned off). */
  refresh(agent: AgentRef, at: string): ScreenTransition[] {
    const key = agentKeyOf(agent);
    const entry = this.agents.get(key);
    return entry ? this.reconcile(key, entry, at) : [];
  }

  /** The agents RWS follows under this user name (user names are unique per node: usually 0 or 1). */
  agentsNamed(userName: string): AgentRef[] {
    const found: AgentRef[] = [];
    for (const entry of this.agents.values()) if (entry.agent.userName === userName) found.push(entry.agent);
    return found;
  }

  /** The snapshot a (re)connecting recorder converges to. */
  snapshot(agentKey: string): DesiredSnapshot | null {
    const screen = this.agents.get(agentKey)?.screen;
    return screen ? { recordingId: screen.recordingId, callUuid: screen.callUuid, state: screen.state } : null;
  }

  /** The full desired screen recording of an agent (with connId), or null. */
  desired(agentKey: string): DesiredScreen | null {
    return this.agents.get(agentKey)?.screen ?? null;
  }

  /** Agents with recorded calls or a screen recording (for diagnostics and memory checks). */
  get size(): number {
    return this.agents.size;
  }

  private createEntry(key: string, agent: AgentRef): AgentEntry {
    const entry: AgentEntry = { agent, calls: new Map(), screen: null };
    this.agents.set(key, entry);
    return entry;
  }

  private reconcile(key: string, entry: AgentEntry, at: string): ScreenTransition[] {
    const current = entry.screen;
    const next = this.target(entry, at);
    const transitions: ScreenTransition[] = [];
    if (current && current.recordingId !== next?.recordingId) {
      transitions.push({ agent: entry.agent, action: 'stop', screen: current, at });
    }
    if (next) {
      if (!current || current.recordingId !== next.recordingId) {
        transitions.push({ agent: entry.agent, action: 'start', screen: next, at });
      } else if (current.state !== next.state) {
        transitions.push({ agent: entry.agent, action: next.state === 'paused' ? 'pause' : 'resume', screen: next, at });
      }
    }
    entry.screen = next;
    if (!next && entry.calls.size === 0) this.agents.delete(key);
    return transitions;
  }

  private target(entry: AgentEntry, at: string): DesiredScreen | null {
    if (entry.calls.size === 0 || this.settings.recordingWhen(entry.agent) === 'off') return null;
    let anyPaused = false;
    for (const call of entry.calls.values()) if (call.state === 'paused') anyPaused = true;
    const state: DesiredScreenState = anyPaused ? 'paused' : 'recording';
    const current = entry.screen;
    const mappedCall = current ? entry.calls.get(current.callUuid) : undefined;
    if (current && mappedCall) {
      return { ...current, connId: mappedCall.connId, partitions: mappedCall.partitions, state };
    }
    // A new screen recording starts only while nothing is paused: never start into sensitive data.
    if (anyPaused) return null;
    const [callUuid, first] = entry.calls.entries().next().value as [string, RecordedCall];
    return { recordingId: this.newRecordingId(entry.agent, callUuid, this.nextGeneration(entry.agent, callUuid)), callUuid, connId: first.connId, state, partitions: first.partitions, startedAt: at };
  }

  /**
   * Counts on from the generation of a recording another home started for the call: a later recording of the
   * same call here gets a new id, never the one that home (or this node) already stopped.
   */
  private continueGeneration(agent: AgentRef, callUuid: string, recordingId: string): void {
    const key = `${agentKeyOf(agent)}\n${callUuid}`;
    for (let generation = 1; generation <= SEEDED_GENERATIONS_TRIED; generation++) {
      if (this.newRecordingId(agent, callUuid, generation) !== recordingId) continue;
      if ((this.generations.get(key) ?? 0) < generation) this.generations.set(key, generation);
      return;
    }
  }

  /** 1 for a call's first screen recording, 2 when the same call's recording started again, and so on. */
  private nextGeneration(agent: AgentRef, callUuid: string): number {
    const key = `${agentKeyOf(agent)}\n${callUuid}`;
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.delete(key);
    this.generations.set(key, generation);
    if (this.generations.size > REMEMBERED_GENERATIONS) this.generations.delete(this.generations.keys().next().value as string);
    return generation;
  }
}

function mergeAgent(known: AgentRef, reported: AgentRef): AgentRef {
  return reported.agentId && reported.agentId !== known.agentId ? { ...known, agentId: reported.agentId } : known;
}
