/**
 * The T-Library message model of the link protocol (docs/tlib-link-protocol.md): message names as SIP Server
 * logs them, their T-Library ordinals where public, attribute enums, and the typed shape of a decoded message.
 */

/** T-Library ordinals of the messages the link uses (for logs and bridges; the JSON carries the name). */
export const TLIB_ORDINALS = {
  RequestRegisterAddress: 3,
  RequestUnregisterAddress: 4,
  RequestAgentLogin: 8,
  RequestAgentLogout: 9,
  RequestAgentReady: 10,
  RequestAgentNotReady: 11,
  RequestPrivateService: 149,
  EventError: 52,
  EventRegistered: 53,
  EventUnregistered: 54,
  EventRinging: 60,
  EventDialing: 61,
  EventEstablished: 64,
  EventReleased: 65,
  EventHeld: 66,
  EventRetrieved: 67,
  EventPartyChanged: 68,
  EventPartyAdded: 69,
  EventPartyDeleted: 70,
  EventAgentLogin: 73,
  EventAgentLogout: 74,
  EventAgentReady: 75,
  EventAgentNotReady: 76,
  EventAttachedDataChanged: 85,
  EventAddressInfo: 92,
  EventLinkDisconnected: 94,
  EventLinkConnected: 95,
  EventACK: 138,
  EventPrivateInfo: 150,
} as const;

/** Requests a client sends (RequestQueryAddress has no ordinal in our sources; the name is authoritative). */
export const REQUEST_NAMES = [
  'RequestRegisterAddress',
  'RequestUnregisterAddress',
  'RequestPrivateService',
  'RequestQueryAddress',
  'RequestAgentLogin',
  'RequestAgentLogout',
  'RequestAgentReady',
  'RequestAgentNotReady',
] as const;
export type RequestName = (typeof REQUEST_NAMES)[number];

/** Events about a call on a DN: all carry ThisDN, ConnID and CallUUID. */
export const CALL_EVENT_NAMES = [
  'EventRinging',
  'EventDialing',
  'EventEstablished',
  'EventReleased',
  'EventHeld',
  'EventRetrieved',
  'EventPartyChanged',
  'EventPartyAdded',
  'EventPartyDeleted',
  'EventAttachedDataChanged',
] as const;
export type CallEventName = (typeof CALL_EVENT_NAMES)[number];

export const AGENT_EVENT_NAMES = ['EventAgentLogin', 'EventAgentLogout', 'EventAgentReady', 'EventAgentNotReady'] as const;
export type AgentEventName = (typeof AGENT_EVENT_NAMES)[number];

/** Answers to requests: they echo the request's ReferenceID. */
export const ANSWER_NAMES = ['EventACK', 'EventError', 'EventRegistered', 'EventUnregistered', 'EventAddressInfo'] as const;
export type AnswerName = (typeof ANSWER_NAMES)[number];

export const LINK_EVENT_NAMES = ['EventLinkConnected', 'EventLinkDisconnected', 'EventPrivateInfo'] as const;

export type EventName = CallEventName | AgentEventName | AnswerName | (typeof LINK_EVENT_NAMES)[number];
export type MessageName = EventName | RequestName;

/** PrivateMsgID values of the GIR recording operations (RequestPrivateService). */
export const PrivateMsgId = {
  RecordStart: 3013,
  RecordStop: 3014,
  RecordPause: 3015,
  RecordResume: 3016,
} as const;
export type RecordingMsgId = (typeof PrivateMsgId)[keyof typeof PrivateMsgId];

/** AgentWorkMode values (RequestAgentLogin / RequestAgentReady / RequestAgentNotReady, and their events). */
export const AgentWorkMode = { Unknown: 0, AutoIn: 1, ManualIn: 2, AfterCallWork: 3, AuxWork: 4, NoCallDisconnect: 5, WalkAway: 6, ReturnBack: 7 } as const;
export type AgentWorkModeName = keyof typeof AgentWorkMode;

const WORK_MODE_NAMES = new Map<number, AgentWorkModeName>(Object.entries(AgentWorkMode).map(([name, value]) => [value, name as AgentWorkModeName]));

/** AgentWorkMode number → name (unknown numbers read as undefined). */
export function agentWorkModeName(value: unknown): AgentWorkModeName | undefined {
  return typeof value === 'number' ? WORK_MODE_NAMES.get(value) : undefined;
}

/** Party roles (ThisDNRole, OtherDNRole, ThirdPartyDNRole). */
export const PartyRole = {
  Origination: 1,
  Destination: 2,
  ConferenceMember: 3,
  NewParty: 4,
  AddedBy: 5,
  DeletedBy: 6,
  TransferredBy: 7,
  DeletedParty: 8,
} as const;

/** CallType values. */
export const CallType = { Internal: 1, Inbound: 2, Outbound: 3, Consult: 4 } as const;
export type CallTypeName = keyof typeof CallType;

const CALL_TYPE_NAMES = new Map<number, CallTypeName>(Object.entries(CallType).map(([name, value]) => [value, name as CallTypeName]));

/** CallType number → name, for views (unknown numbers read as "Unknown"). */
export function callTypeName(value: number | undefined): CallTypeName | 'Unknown' {
  return (value !== undefined && CALL_TYPE_NAMES.get(value)) || 'Unknown';
}

/** A key-value list (UserData, Extensions, Reasons). Values nest like T-Library KV lists. */
export interface KvList {
  [key: string]: string | number | KvList;
}

/** A party of a call in a snapshot (EventRegistered / EventAddressInfo `Calls`). */
export interface PartyInfo {
  DN: string;
  /** `Dialing` | `Ringing` | `Established` | `Held` | `Queued`. */
  State?: string;
  Role?: number;
}

/** A recording of one party in a snapshot (our extension; see the protocol document). */
export interface RecordingInfo {
  DN: string;
  /** `ON` | `PAUSED` (stopped recordings are not listed). */
  State: string;
  FileName?: string;
  Partitions?: string;
  ID?: string;
}

/** One call on a DN as the server reports it when asked (EventRegistered / EventAddressInfo). */
export interface CallInfo {
  ConnID: string;
  CallUUID: string;
  CallType?: number;
  Parties: PartyInfo[];
  UserData?: KvList;
  Recordings?: RecordingInfo[];
}

/**
 * A decoded, schema-checked message. Attribute names are the T-Library ones without the `Attribute` prefix;
 * unknown attributes are kept (forward compatibility) but never interpreted.
 */
export interface TlibMessage {
  message: MessageName;
  ThisDN?: string;
  OtherDN?: string;
  ThirdPartyDN?: string;
  ThisDNRole?: number;
  OtherDNRole?: number;
  ThirdPartyDNRole?: number;
  ConnID?: string;
  PreviousConnID?: string;
  TransferConnID?: string;
  CallUUID?: string;
  CallType?: number;
  CallState?: number;
  AgentID?: string;
  AgentWorkMode?: number;
  UserData?: KvList;
  Extensions?: KvList;
  Reasons?: KvList;
  ReferenceID?: number;
  EventSequenceNumber?: number;
  ServerStartTime?: number;
  TimeinSecs?: number;
  TimeinuSecs?: number;
  PrivateMsgID?: number;
  ErrorCode?: number;
  ErrorMessage?: string;
  RegisterMode?: string;
  AddressType?: string;
  ServerRole?: string;
  ServerName?: string;
  Calls?: CallInfo[];
  [attribute: string]: unknown;
}

/** Names of the recording indication keys in a call's UserData. */
export const UserDataKey = {
  Record: 'GSIP_RECORD',
  RecordFileName: 'GSIP_REC_FN',
  Partitions: 'GRECORD_PARTITIONS',
} as const;
