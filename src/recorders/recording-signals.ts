/**
 * The recorders module's input from telephony (style.md: telephony events enter through one interface;
 * nothing in telephony/ knows about WebSockets). Telephony resolves the recorded party of a call to an agent
 * and calls RecordersService.onSignal / onCallSnapshot / onFullSnapshot.
 */

/** The agent whose screen is recorded. `ccid` is undefined only for the ops account (development default). */
export interface AgentRef {
  ccid?: string;
  userName: string;
  agentId?: string;
}

/** Kind of interaction; only voice drives screen recording (blended agents, api.md §5). */
export type MediaType = 'voice' | 'chat' | 'email';

/** A voice recording's state change for one recorded party (GSIP_RECORD ON/PAUSED/OFF, or release). */
export interface RecordingSignal {
  type: 'started' | 'paused' | 'resumed' | 'stopped';
  agent: AgentRef;
  /** The call's CallUUID: the key (ConnID changes on transfers and switchovers). */
  callUuid: string;
  connId: string;
  partitions?: string[];
  /** When the telephony event happened (ISO-8601). */
  at: string;
  /** Absent means voice. */
  mediaType?: MediaType;
}

/** One voice recording that is active now, as telephony reports it after rebuilding its state. */
export interface ActiveRecording {
  callUuid: string;
  connId: string;
  state: 'recording' | 'paused';
  partitions?: string[];
  mediaType?: MediaType;
}

/** All active recordings of one agent (used by a full snapshot after a telephony switchover). */
export interface AgentRecordingsSnapshot {
  agent: AgentRef;
  recordings: ActiveRecording[];
}

/** The key of an agent in every map of this module: contact center + user name. */
export function agentKeyOf(agent: { ccid?: string; userName: string }): string {
  return `${agent.ccid ?? '-'}/${agent.userName}`;
}
