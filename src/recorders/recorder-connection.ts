import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/principal';
import type { DeliveryTarget, OutstandingCommand } from './command-delivery';
import type { RecorderGoneReason } from './recorder-metrics';
import type { CommandAction, HelloMessage, RecorderReportedState } from './recorder-protocol';
import type { RoutedSnapshot } from './recorder-routing.port';
import type { AgentRef } from './recording-signals';
import { agentKeyOf } from './recording-signals';

/** The parts of a `ws` WebSocket a connection uses (so tests and benchmarks can reason about it). */
export interface RecorderSocket {
  readonly readyState: number;
  send(data: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

const OPEN = 1;

/** The last `status` a recorder reported. */
export interface ReportedStatus {
  state: RecorderReportedState;
  recordingId?: string;
  at: number;
}

/** What one connected recorder looks like from outside (diagnostics, tests). */
export interface ConnectedRecorder {
  sessionId: string;
  userName: string;
  clientVersion: string;
  platform: string;
  hostname: string;
  lastStatus?: { state: string; recordingId?: string };
  pendingCommand?: { commandId: string; action: CommandAction; attempts: number };
}

/**
 * One recorder's connection and the little state kept for it (kept small: P2 wants 10k per node).
 * It becomes the agent's recorder on hello; before that it only counts toward the hello timeout.
 */
export class RecorderConnection implements DeliveryTarget {
  readonly sessionId = randomUUID();
  readonly agent: AgentRef;
  readonly agentKey: string;
  readonly connectedAt = Date.now();
  hello?: HelloMessage;
  /** Set once the welcome went out (after recordingWhen was known): commands and corrections only after it. */
  welcomed = false;
  lastStatus?: ReportedStatus;
  outstanding?: OutstandingCommand;
  missedPongs = 0;
  badFrames = 0;
  /** Which heartbeat sweep slice this connection belongs to. */
  heartbeatSlot = 0;
  /** Set once the connection is being closed, so one reason wins. */
  goneReason?: RecorderGoneReason;
  /** Whether its end was counted in the metrics. */
  counted = false;
  /** The last corrective command sent after a diverging status (`action:recordingId`), to never repeat it. */
  lastCorrection?: string;
  /** Cluster only, for an agent homed on another node: that home, the last `seq` applied and the desired state it says. */
  routedHome?: string;
  routedSeq?: number;
  routed?: RoutedSnapshot | null;

  constructor(
    readonly socket: RecorderSocket,
    readonly principal: Principal,
  ) {
    this.agent = { ccid: principal.ccid, userName: principal.userName, agentId: principal.agentId };
    this.agentKey = agentKeyOf(this.agent);
  }

  get open(): boolean {
    return this.socket.readyState === OPEN && this.goneReason === undefined;
  }

  get greeted(): boolean {
    return this.hello !== undefined;
  }

  send(frame: string): void {
    if (this.socket.readyState === OPEN) this.socket.send(frame);
  }

  /** The recorder as seen from outside, once it said hello. */
  view(): ConnectedRecorder | undefined {
    if (!this.hello) return undefined;
    return {
      sessionId: this.sessionId,
      userName: this.agent.userName,
      clientVersion: this.hello.clientVersion,
      platform: this.hello.platform,
      hostname: this.hello.hostname,
      lastStatus: this.lastStatus && { state: this.lastStatus.state, recordingId: this.lastStatus.recordingId },
      pendingCommand: this.outstanding && { commandId: this.outstanding.command.commandId, action: this.outstanding.command.action, attempts: this.outstanding.attempts },
    };
  }
}
