import { Logger } from '@nestjs/common';
import type { DesktopCall } from './call-state/desktop-call';
import type { SessionAgent } from './telephony.service';
import type { KvList } from './tlib/tlib-messages';

/** Why a recording event was published. */
export type RecordingEventCause =
  /** SIP Server announced it (GSIP_RECORD on the call's attached data). */
  | 'indication'
  /** The recorded party left the call (EventReleased / EventPartyDeleted / transfer) without OFF. */
  | 'party-left'
  /** The link to SIP Server was lost: recordings are paused until the server's state is known again. */
  | 'link-down'
  /** Rebuilt from what the server reported after a reconnect, switchover or sequence gap. */
  | 'resync'
  /** RWS stopped monitoring the DN (agent session ended, DN changed, registration refused). */
  | 'unmonitored'
  /**
   * RWS's own PauseCallRecording was acknowledged (EventACK), or its answer is unknown (timeout, link loss):
   * the recording is taken as paused at once, without waiting for GSIP_RECORD=PAUSED (PCI: when in doubt, pause).
   */
  | 'pause-requested';

/**
 * A change of one party's recording on one call: what the recorded agent's screen recorder must follow.
 * One event per (call, recorded DN): in a conference only the recorded party's DN gets events.
 */
export interface RecordingEvent {
  kind: 'recording';
  type: 'started' | 'paused' | 'resumed' | 'stopped';
  /** The recorded party's DN. */
  agentDn: string;
  /** The agent logged in on the DN (EventAgentLogin / snapshot), when known. */
  agentId?: string;
  /** The agent sessions (e.g. user names) that registered the DN, when any. */
  agentKeys: string[];
  /** CallUUID: stable across transfers and switchovers. */
  callUuid: string;
  connId: string;
  /** GRECORD_PARTITIONS, split on commas. */
  partitions: string[];
  /** GSIP_REC_FN of the voice recording. */
  fileName?: string;
  cause: RecordingEventCause;
  /**
   * On `started`: the recording was first learned already paused (a snapshot after a takeover or a gap); its
   * `paused` follows at once. A screen recorder must not record in between (PCI), so it takes this as paused.
   */
  pausedAtStart?: boolean;
  /** Epoch milliseconds (with microseconds when the server stamps TimeinuSecs). */
  at: number;
}

/** A change of a call as one monitored DN sees it: what the desktop's notifications carry. */
export interface CallStateChange {
  kind: 'call';
  /** GWS notification type. */
  notificationType: 'StatusChange' | 'CallRecordingStateChange';
  dn: string;
  agentKeys: string[];
  /** The call as that DN sees it now; `state` is `Released` when the DN left it. */
  call: DesktopCall;
  at: number;
}

/** Whether the link to the telephony source is up (notifications may want to tell the desktop). */
export interface LinkStateChange {
  kind: 'link';
  up: boolean;
  reason?: string;
  at: number;
}

/** An agent's state on a DN (EventAgentLogin/Logout/Ready/NotReady): what the desktop's device notifications carry. */
export interface AgentStateChange {
  kind: 'agent';
  state: 'LoggedIn' | 'LoggedOut' | 'Ready' | 'NotReady';
  dn: string;
  agentKeys: string[];
  agentId?: string;
  /** AgentWorkMode by name (`AfterCallWork`, `AuxWork`…), when the server gave one. */
  workMode?: string;
  /** The request's Reasons (e.g. a not-ready reason code), as the server echoed them. */
  reasons?: KvList;
  at: number;
}

/**
 * An agent session started, changed its DNs or ended. What the agent's screen follows is re-derived from it:
 * recordings on DNs the session no longer holds are no longer the agent's (RWS stops hearing about them), so a
 * consumer must not keep following them.
 */
export interface AgentSessionChange {
  kind: 'session';
  agentKey: string;
  /** Who the session belongs to, when its starter said so. */
  agent?: SessionAgent;
  /** The session's DNs now; empty when the session ended. */
  dns: string[];
  at: number;
}

export type TelephonyEvent = RecordingEvent | CallStateChange | LinkStateChange | AgentStateChange | AgentSessionChange;

/** A subscriber; returning a promise is allowed but not awaited (the bus never blocks the link). */
export type TelephonyEventListener = (event: TelephonyEvent) => void;

/**
 * Where telephony publishes what it learns: recording changes per (call, party) and call changes per DN.
 * The one interface between telephony and its consumers (screen recorders, desktop notifications); it knows
 * nothing about WebSockets or how consumers deliver.
 */
export abstract class RecordingEventsPort {
  abstract publish(event: TelephonyEvent): void;
  /** Returns the function that unsubscribes. */
  abstract subscribe(listener: TelephonyEventListener): () => void;
}

/**
 * The in-process bus: synchronous fan-out in subscription order, so consumers see events in the order the
 * link produced them. A failing subscriber is logged and does not affect the others.
 */
export class InProcessRecordingEvents extends RecordingEventsPort {
  private readonly logger = new Logger('RecordingEvents');
  private listeners: TelephonyEventListener[] = [];

  publish(event: TelephonyEvent): void {
    for (const listener of this.listeners) {
      try {
        const result = listener(event) as unknown;
        if (result instanceof Promise) result.catch((err: unknown) => this.failed(err));
      } catch (err) {
        this.failed(err);
      }
    }
  }

  subscribe(listener: TelephonyEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private failed(err: unknown): void {
    this.logger.error({ msg: 'telephony event subscriber failed', error: (err as Error)?.message });
  }
}
