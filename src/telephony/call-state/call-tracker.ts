import type { KvList } from '../tlib/tlib-messages';
import type { RecordingEvent, RecordingEventCause, RecordingEventsPort } from '../recording-events';
import { desktopCallFor } from './desktop-call';
import type { TrackedCall, TrackedPartyState, TrackedRecording } from './tracked-call';

/** What the tracker asks of the DN registry. */
export interface MonitoredDns {
  /** RWS holds a registration of this DN for at least one agent session. */
  isMonitored(dn: string): boolean;
  /** The agent sessions holding the DN. */
  holdersOf(dn: string): string[];
}

/** The recording state a party should move to, with what the server said about it. */
export interface RecordingTarget {
  state: 'recording' | 'paused' | 'stopped';
  fileName?: string;
  partitions?: string[];
}

/**
 * The calls RWS follows, keyed by CallUUID with a ConnID index, and the only place that changes them:
 * every change of a party's recording publishes a RecordingEvent, every change a DN sees a CallStateChange.
 * A call is forgotten when no monitored DN is a party of it any more; its recordings stop with it.
 */
export class CallTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private readonly byConnId = new Map<string, string>();
  private readonly agentIds = new Map<string, string>();

  constructor(
    private readonly events: RecordingEventsPort,
    private readonly dns: MonitoredDns,
  ) {}

  // ---- lookups ----

  get(callUuid: string): TrackedCall | undefined {
    return this.calls.get(callUuid);
  }

  byConn(connId: string): TrackedCall | undefined {
    const uuid = this.byConnId.get(connId);
    return uuid === undefined ? undefined : this.calls.get(uuid);
  }

  all(): IterableIterator<TrackedCall> {
    return this.calls.values();
  }

  callsOf(dn: string): TrackedCall[] {
    return [...this.calls.values()].filter((c) => c.parties.has(dn));
  }

  get size(): number {
    return this.calls.size;
  }

  isMonitored(dn: string): boolean {
    return this.dns.isMonitored(dn);
  }

  // ---- agents ----

  setAgent(dn: string, agentId: string | undefined): void {
    if (agentId) this.agentIds.set(dn, agentId);
    else this.agentIds.delete(dn);
  }

  agentOf(dn: string): string | undefined {
    return this.agentIds.get(dn);
  }

  // ---- changes ----

  /** The call with this CallUUID, created if new; its ConnID follows the latest the server gave. */
  upsert(callUuid: string, connId: string, callType?: number): TrackedCall {
    let call = this.calls.get(callUuid);
    if (!call) {
      call = { callUuid, connId, callType, parties: new Map(), userData: {}, recordings: new Map() };
      this.calls.set(callUuid, call);
      this.byConnId.set(connId, callUuid);
    } else if (call.connId !== connId) {
      // Two-step transfer or switchover: the ConnID changed, the CallUUID did not.
      if (this.byConnId.get(call.connId) === callUuid) this.byConnId.delete(call.connId);
      call.connId = connId;
      this.byConnId.set(connId, callUuid);
    }
    if (callType !== undefined) call.callType = callType;
    return call;
  }

  setUserData(call: TrackedCall, userData: KvList | undefined): void {
    if (userData) call.userData = userData;
  }

  setParty(call: TrackedCall, dn: string, state: TrackedPartyState): void {
    const current = call.parties.get(dn);
    // An OtherDN seen without a state does not overwrite what a party's own events said.
    if (state === 'Unknown' && current !== undefined) return;
    call.parties.set(dn, state);
  }

  /**
   * `dn` is no longer a party of `call`: its recording stops, a monitored DN sees the call Released, and the
   * call is forgotten when no monitored party remains.
   */
  removeParty(call: TrackedCall, dn: string, cause: RecordingEventCause, at: number): void {
    if (!call.parties.has(dn) && !call.recordings.has(dn)) return;
    call.parties.delete(dn);
    this.setRecording(call, dn, { state: 'stopped' }, cause, at);
    if (this.dns.isMonitored(dn)) this.notify(call, dn, 'StatusChange', at, true);
    for (const party of call.parties.keys()) if (this.dns.isMonitored(party)) return;
    this.drop(call, cause, at);
  }

  /** Forgets a call: any recording still known on it stops. */
  drop(call: TrackedCall, cause: RecordingEventCause, at: number): void {
    for (const dn of [...call.recordings.keys()]) this.setRecording(call, dn, { state: 'stopped' }, cause, at);
    this.calls.delete(call.callUuid);
    if (this.byConnId.get(call.connId) === call.callUuid) this.byConnId.delete(call.connId);
  }

  /**
   * Moves one party's recording to `target`, publishing the events a recorder needs to follow: a recording
   * first learned as paused is started then paused; a new file name for a running party is a new recording.
   * Returns true when anything changed.
   */
  setRecording(call: TrackedCall, dn: string, target: RecordingTarget, cause: RecordingEventCause, at: number): boolean {
    const current = call.recordings.get(dn);
    if (target.state === 'stopped') {
      if (!current) return false;
      call.recordings.delete(dn);
      this.publish('stopped', call, current, cause, at);
      this.notifyRecording(call, at);
      return true;
    }
    const state = target.state;
    if (current && target.fileName && current.fileName && target.fileName !== current.fileName) {
      call.recordings.delete(dn);
      this.publish('stopped', call, current, cause, at);
      return this.setRecording(call, dn, target, cause, at) || true;
    }
    if (!current) {
      const recording: TrackedRecording = { dn, state, fileName: target.fileName, partitions: target.partitions ?? [], pausedByLinkLoss: false };
      call.recordings.set(dn, recording);
      this.publish('started', call, { ...recording, state: 'recording' }, cause, at, state === 'paused');
      if (state === 'paused') this.publish('paused', call, recording, cause, at);
      this.notifyRecording(call, at);
      return true;
    }
    current.fileName = target.fileName ?? current.fileName;
    if (target.partitions && target.partitions.length > 0) current.partitions = target.partitions;
    const wasPausedByLinkLoss = current.pausedByLinkLoss;
    current.pausedByLinkLoss = false;
    if (current.state === state) return wasPausedByLinkLoss;
    current.state = state;
    this.publish(state === 'paused' ? 'paused' : 'resumed', call, current, cause, at);
    this.notifyRecording(call, at);
    return true;
  }

  /** The link is lost: every running recording is paused until the server's state is known (PCI: when in doubt, pause). */
  pauseAllForLinkLoss(at: number): void {
    for (const call of this.calls.values()) {
      let changed = false;
      for (const recording of call.recordings.values()) {
        if (recording.state !== 'recording') continue;
        recording.state = 'paused';
        recording.pausedByLinkLoss = true;
        this.publish('paused', call, recording, 'link-down', at);
        changed = true;
      }
      if (changed) this.notifyRecording(call, at);
    }
  }

  /**
   * RWS asked the server to pause `dn`'s recording on `call` and either got EventACK (`inDoubt` false) or no
   * answer it can trust (`inDoubt` true): the recording is paused now, not when GSIP_RECORD=PAUSED arrives
   * (the announcement may be late or lost). The request controls `dn`'s own recording or, when `dn` is not
   * recorded (a supervisor's DN), the call's only one; when that is ambiguous every recording of the call
   * pauses. Returns whether anything changed.
   */
  assumePaused(call: TrackedCall, dn: string, inDoubt: boolean, at: number): boolean {
    const own = call.recordings.get(dn);
    const targets = own ? [own] : [...call.recordings.values()];
    let changed = false;
    for (const recording of targets) {
      if (recording.state === 'paused') continue;
      recording.state = 'paused';
      recording.pausedByLinkLoss = inDoubt;
      this.publish('paused', call, recording, 'pause-requested', at);
      changed = true;
    }
    if (changed) this.notifyRecording(call, at);
    return changed;
  }

  /** RWS stopped monitoring `dn`: it leaves every call it was on (as far as RWS is concerned). */
  forgetDn(dn: string, at: number): void {
    for (const call of this.callsOf(dn)) this.removeParty(call, dn, 'unmonitored', at);
    this.agentIds.delete(dn);
  }

  /** Tells the DN's desktop that its view of the call changed. */
  notify(call: TrackedCall, dn: string, notificationType: 'StatusChange' | 'CallRecordingStateChange', at: number, released = false): void {
    this.events.publish({ kind: 'call', notificationType, dn, agentKeys: this.dns.holdersOf(dn), call: desktopCallFor(call, dn, released), at });
  }

  /** Tells every monitored party's desktop that the call's recording changed. */
  notifyRecording(call: TrackedCall, at: number): void {
    for (const dn of call.parties.keys()) if (this.dns.isMonitored(dn)) this.notify(call, dn, 'CallRecordingStateChange', at);
  }

  private publish(type: RecordingEvent['type'], call: TrackedCall, recording: TrackedRecording, cause: RecordingEventCause, at: number, pausedAtStart = false): void {
    this.events.publish({
      kind: 'recording',
      type,
      agentDn: recording.dn,
      agentId: this.agentIds.get(recording.dn),
      agentKeys: this.dns.holdersOf(recording.dn),
      callUuid: call.callUuid,
      connId: call.connId,
      partitions: recording.partitions,
      fileName: recording.fileName,
      cause,
      ...(pausedAtStart ? { pausedAtStart } : {}),
      at,
    });
  }
}
