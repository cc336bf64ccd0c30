import type { DesktopCall, RecordingOperation } from './call-state/desktop-call';
import type { DnStatus } from './dn-registry';
import type { AgentWorkModeName, KvList } from './tlib/tlib-messages';

/** A recording operation on a call, on behalf of a DN. */
export interface RecordingControlRequest {
  /** The DN the operation is for (the agent's DN, registered by RWS). */
  dn: string;
  /** CallUUID (the desktop's call id). */
  callUuid: string;
  operation: RecordingOperation;
  /** Who asked when it is not the DN's own agent (a supervisor's DN or name), for the server's Reasons. */
  requester?: string;
  /** Extra request parameters (`partitions`, `id`, `dest`, `params`…). */
  extensions?: KvList;
}

/** How a recording operation ended. */
export type RecordingControlResult =
  | { kind: 'ok' }
  | { kind: 'refused'; errorCode: number; errorMessage: string }
  | { kind: 'no-call' }
  | { kind: 'link-down' }
  | { kind: 'timeout'; timeoutMs: number };

/** One party's running voice recording on a call, as the source knows it now. */
export interface PartyRecording {
  callUuid: string;
  connId: string;
  state: 'recording' | 'paused';
  partitions: string[];
}

/** Agent state requests (T-Library RequestAgentLogin / Logout / Ready / NotReady). */
export type AgentOperation = 'Login' | 'Logout' | 'Ready' | 'NotReady';

/** An agent state request on a DN RWS registered. */
export interface AgentStateRequest {
  dn: string;
  operation: AgentOperation;
  /** The agent to log in (RequestAgentLogin). */
  agentId?: string;
  workMode?: AgentWorkModeName;
  /** T-Library Reasons, e.g. `{"ReasonCode": "Lunch"}` for a not-ready reason. */
  reasons?: KvList;
}

/** How an agent state request ended. */
export type AgentStateResult = Exclude<RecordingControlResult, { kind: 'no-call' }>;

/** The source's state for health and diagnostics. */
export interface CallEventSourceStatus {
  name: string;
  up: boolean;
  server?: { address: string; serverStartTime: number; serverName?: string };
  dns: DnStatus[];
  calls: number;
}

/**
 * Where calls and recording states come from, for the DNs RWS monitors: SIP Server's T-Library link today;
 * a SIPREC recording server (RFC 7865/7866 metadata) could be another implementation. Domain events go out
 * through the RecordingEventsPort the source was given.
 */
export abstract class CallEventSource {
  abstract readonly name: string;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract isUp(): boolean;
  /** `holder` (an agent session) needs the DN monitored. */
  abstract monitor(dn: string, holder: string): Promise<DnStatus>;
  abstract unmonitor(dn: string, holder: string): Promise<void>;
  abstract callsOf(dn: string): DesktopCall[];
  /** The recordings of `dn` itself (the DN is the recorded party), on every call RWS knows of. */
  abstract recordingsOf(dn: string): PartyRecording[];
  abstract controlRecording(request: RecordingControlRequest): Promise<RecordingControlResult>;
  abstract changeAgentState(request: AgentStateRequest): Promise<AgentStateResult>;
  /** The agent logged in on `dn`, when known. */
  abstract agentOn(dn: string): string | undefined;
  /** The call with this CallUUID or ConnID, when known. */
  abstract findCallUuid(callId: string): string | undefined;
  abstract status(): CallEventSourceStatus;
}
