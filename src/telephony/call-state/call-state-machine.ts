import type { RecordingEventsPort } from '../recording-events';
import { AGENT_EVENT_NAMES, agentWorkModeName, CALL_EVENT_NAMES, CallInfo, TlibMessage } from '../tlib/tlib-messages';
import { CallEventApplier } from './call-event-applier';
import { CallTracker, MonitoredDns } from './call-tracker';
import { DesktopCall, desktopCallFor } from './desktop-call';
import { SnapshotReconciler } from './snapshot-reconciler';
import type { TrackedCall } from './tracked-call';

/** What to do with running recordings while the link is down. */
export type LinkLossPolicy = 'pause' | 'keep';

const CALL_EVENTS = new Set<string>(CALL_EVENT_NAMES);
const AGENT_EVENTS = new Set<string>(AGENT_EVENT_NAMES);
const AGENT_STATES = { EventAgentLogin: 'LoggedIn', EventAgentLogout: 'LoggedOut', EventAgentReady: 'Ready', EventAgentNotReady: 'NotReady' } as const;

/** One party's recording, for listings and tests. */
export interface RecordingStateEntry {
  callUuid: string;
  connId: string;
  dn: string;
  state: 'recording' | 'paused';
}

/**
 * The call and recording state machine of the SIP Server link: consumes the link's in-order messages
 * (events and snapshot answers), keeps calls keyed by CallUUID with recording state per (call, recorded
 * party), and publishes domain events through the RecordingEventsPort.
 */
export class CallStateMachine {
  private readonly tracker: CallTracker;
  private readonly applier: CallEventApplier;
  private readonly reconciler: SnapshotReconciler;

  constructor(
    private readonly events: RecordingEventsPort,
    private readonly dns: MonitoredDns,
    private readonly linkLossPolicy: LinkLossPolicy = 'pause',
  ) {
    this.tracker = new CallTracker(events, dns);
    this.applier = new CallEventApplier(this.tracker);
    this.reconciler = new SnapshotReconciler(this.tracker);
  }

  /** Applies one message of the link, in stream order. */
  apply(m: TlibMessage): void {
    const at = eventTime(m);
    const dn = m.ThisDN;
    if (dn === undefined) return;
    if (m.message === 'EventRegistered' || m.message === 'EventAddressInfo') {
      if (!this.tracker.isMonitored(dn)) return;
      if (m.AgentID) this.tracker.setAgent(dn, m.AgentID);
      this.reconcile(dn, m.Calls ?? [], at);
      return;
    }
    if (!this.tracker.isMonitored(dn)) return;
    if (CALL_EVENTS.has(m.message)) {
      this.applier.apply(m, at);
    } else if (AGENT_EVENTS.has(m.message)) {
      // EventAgentLogin may repeat for the same DN and agent: setting it again changes nothing.
      const agentId = m.AgentID ?? this.tracker.agentOf(dn);
      this.tracker.setAgent(dn, m.message === 'EventAgentLogout' ? undefined : agentId);
      this.publishAgentState(m, dn, agentId, at);
    }
  }

  private publishAgentState(m: TlibMessage, dn: string, agentId: string | undefined, at: number): void {
    const state = AGENT_STATES[m.message as keyof typeof AGENT_STATES];
    const workMode = agentWorkModeName(m.AgentWorkMode);
    this.events.publish({
      kind: 'agent',
      state,
      dn,
      agentKeys: this.dns.holdersOf(dn),
      ...(agentId ? { agentId } : {}),
      ...(workMode ? { workMode } : {}),
      ...(m.Reasons ? { reasons: m.Reasons } : {}),
      at,
    });
  }

  /** Rebuilds the DN's calls from the server's report. */
  reconcile(dn: string, calls: CallInfo[], at = Date.now()): void {
    this.reconciler.reconcile(dn, calls, at);
  }

  /** The link is down: with the `pause` policy, running recordings pause until the state is rebuilt. */
  linkDown(at = Date.now()): void {
    if (this.linkLossPolicy === 'pause') this.tracker.pauseAllForLinkLoss(at);
  }

  /** RWS's own pause of `dn`'s recording was acknowledged, or its answer is unknown: pause it now (fail safe). */
  assumePaused(callUuid: string, dn: string, inDoubt: boolean, at = Date.now()): boolean {
    const call = this.tracker.get(callUuid);
    return call ? this.tracker.assumePaused(call, dn, inDoubt, at) : false;
  }

  /** RWS no longer monitors the DN (session ended, registration refused): its calls are left. */
  forgetDn(dn: string, at = Date.now()): void {
    this.tracker.forgetDn(dn, at);
  }

  /** The calls `dn` is on, as its desktop sees them. */
  callsOf(dn: string): DesktopCall[] {
    return this.tracker.callsOf(dn).map((c) => desktopCallFor(c, dn));
  }

  /** The recordings whose recorded party is `dn`. */
  recordingsOf(dn: string): { callUuid: string; connId: string; state: 'recording' | 'paused'; partitions: string[] }[] {
    const out: { callUuid: string; connId: string; state: 'recording' | 'paused'; partitions: string[] }[] = [];
    for (const call of this.tracker.callsOf(dn)) {
      const r = call.recordings.get(dn);
      if (r) out.push({ callUuid: call.callUuid, connId: call.connId, state: r.state, partitions: [...r.partitions] });
    }
    return out;
  }

  findCall(callUuid: string): TrackedCall | undefined {
    return this.tracker.get(callUuid);
  }

  findCallByConnId(connId: string): TrackedCall | undefined {
    return this.tracker.byConn(connId);
  }

  agentOf(dn: string): string | undefined {
    return this.tracker.agentOf(dn);
  }

  /** Every known recording. */
  recordings(): RecordingStateEntry[] {
    const out: RecordingStateEntry[] = [];
    for (const call of this.tracker.all()) {
      for (const r of call.recordings.values()) out.push({ callUuid: call.callUuid, connId: call.connId, dn: r.dn, state: r.state });
    }
    return out;
  }

  get callCount(): number {
    return this.tracker.size;
  }
}

/** The server's event time when it stamps one (TimeinSecs + TimeinuSecs), else now. */
function eventTime(m: TlibMessage): number {
  if (typeof m.TimeinSecs === 'number') return m.TimeinSecs * 1000 + (typeof m.TimeinuSecs === 'number' ? m.TimeinuSecs / 1000 : 0);
  return Date.now();
}
