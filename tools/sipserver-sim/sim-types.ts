import type { KvList } from '../../src/telephony/tlib/tlib-messages';

/** Kinds of switch DNs the simulator knows (SIP Server's DN types that matter for recording). */
export type DnType = 'Extension' | 'ACDPosition' | 'RoutingPoint' | 'TrunkGroup' | 'VoiceTreatmentPort';

/** A configured DN with its recording options (`[TServer] record`, consult recording). */
export interface SimDn {
  number: string;
  type: DnType;
  /** Full-time recording (`record=true`). */
  record: boolean;
  /** Consult calls are recorded too when full-time recording applies. */
  recordConsult: boolean;
}

/** An agent logged in on a DN; `record` is the Agent Login's `record=true`. */
export interface SimAgent {
  agentId: string;
  dn: string;
  record: boolean;
  state: 'Ready' | 'NotReady';
}

export type PartyState = 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Queued';

/** A party of a call: a switch DN (events are delivered to it) or an external number. */
export interface SimParty {
  dn: string;
  external: boolean;
  state: PartyState;
  role: number;
}

/** How a recording was started (for logs and state listings). */
export type RecordingOrigin = 'fulltime' | 'selective' | 'dynamic' | 'trunk';

/** One party's recording session on a call. */
export interface SimRecording {
  id: string;
  dn: string;
  state: 'ON' | 'PAUSED';
  fileName: string;
  partitions?: string;
  origin: RecordingOrigin;
  extensions: KvList;
  startedAt: string;
}

/** Recording instructions a routing strategy left on a call (TRouteCall Extensions). */
export interface RouteRecording {
  mode: 'destination' | 'disable_destination' | 'source';
  destination: string;
  extensions: KvList;
}

/** A call in the simulator. */
export interface SimCall {
  connId: string;
  callUuid: string;
  callType: number;
  parties: Map<string, SimParty>;
  userData: KvList;
  /** Recording sessions by recorded DN. */
  recordings: Map<string, SimRecording>;
  /** For a consult call: the ConnID of the call it consults from. */
  consultOf?: string;
  /** Trunk group DN the call entered through (IVR recording). */
  trunk?: string;
  route?: RouteRecording;
  /** DNs whose destination recording a route disabled. */
  suppressed: Set<string>;
  /** DNs whose full-time recording already started during their current stay on the call. */
  fullTimeDone: Set<string>;
  /** Parties ringing to join a conference (single-step conference), with who added them. */
  joining: Map<string, string>;
  createdAt: string;
}

/** A simulator error a control client caused (bad arguments): HTTP 400/404 on the control surface. */
export class SimError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The answer to a RequestPrivateService: refused, or accepted with the changes to apply after EventACK. */
export type PrivateServiceOutcome = { ok: false; errorCode: number; errorMessage: string } | { ok: true; apply: () => void };

/** Error codes of the simulator's EventError answers (a real SIP Server's codes differ; RWS passes them on). */
export const SimErrorCode = {
  NoSuchCall: 100,
  DnNotRegistered: 101,
  NotRecording: 102,
  AlreadyRecording: 103,
  AlreadyPaused: 104,
  NotPaused: 105,
  NotAParty: 106,
  InvalidDn: 107,
  Unsupported: 108,
  AgentNotLoggedIn: 109,
} as const;
