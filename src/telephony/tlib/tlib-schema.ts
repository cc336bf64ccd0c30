import { AGENT_EVENT_NAMES, ANSWER_NAMES, CALL_EVENT_NAMES, LINK_EVENT_NAMES, MessageName, REQUEST_NAMES } from './tlib-messages';

/**
 * The schema check of the link protocol: the type of every known attribute, and the attributes each message
 * must carry. Hand-written rather than a schema library because it runs for every event on the hot path.
 */

type AttributeType = 'dn' | 'connId' | 'callUuid' | 'int' | 'text' | 'kv' | 'calls';

const MAX_TEXT = 4096;
const MAX_DN = 128;
const MAX_KV_ENTRIES = 512;
const MAX_KV_DEPTH = 4;
const MAX_CALLS = 1000;
const MAX_PARTIES = 64;

const ATTRIBUTE_TYPES: Record<string, AttributeType> = {
  ThisDN: 'dn',
  OtherDN: 'dn',
  ThirdPartyDN: 'dn',
  ThisDNRole: 'int',
  OtherDNRole: 'int',
  ThirdPartyDNRole: 'int',
  ConnID: 'connId',
  PreviousConnID: 'connId',
  TransferConnID: 'connId',
  CallUUID: 'callUuid',
  CallType: 'int',
  CallState: 'int',
  AgentID: 'text',
  AgentWorkMode: 'int',
  UserData: 'kv',
  Extensions: 'kv',
  Reasons: 'kv',
  ReferenceID: 'int',
  EventSequenceNumber: 'int',
  ServerStartTime: 'int',
  TimeinSecs: 'int',
  TimeinuSecs: 'int',
  PrivateMsgID: 'int',
  ErrorCode: 'int',
  ErrorMessage: 'text',
  RegisterMode: 'text',
  AddressType: 'text',
  ServerRole: 'text',
  ServerName: 'text',
  Calls: 'calls',
};

const SEQUENCED = ['EventSequenceNumber', 'ServerStartTime'];
const CALL_EVENT = [...SEQUENCED, 'ThisDN', 'ConnID', 'CallUUID'];

/** Attributes each known message must carry. */
export const REQUIRED_ATTRIBUTES: Record<MessageName, readonly string[]> = {
  ...(Object.fromEntries(CALL_EVENT_NAMES.map((n) => [n, CALL_EVENT])) as Record<(typeof CALL_EVENT_NAMES)[number], string[]>),
  ...(Object.fromEntries(AGENT_EVENT_NAMES.map((n) => [n, [...SEQUENCED, 'ThisDN']])) as Record<(typeof AGENT_EVENT_NAMES)[number], string[]>),
  EventACK: [...SEQUENCED, 'ReferenceID'],
  EventError: [...SEQUENCED, 'ErrorCode'],
  EventRegistered: [...SEQUENCED, 'ReferenceID', 'ThisDN'],
  EventUnregistered: [...SEQUENCED, 'ReferenceID', 'ThisDN'],
  EventAddressInfo: [...SEQUENCED, 'ReferenceID', 'ThisDN'],
  EventLinkConnected: SEQUENCED,
  EventLinkDisconnected: ['ServerStartTime'],
  EventPrivateInfo: [...SEQUENCED, 'PrivateMsgID'],
  RequestRegisterAddress: ['ReferenceID', 'ThisDN'],
  RequestUnregisterAddress: ['ReferenceID', 'ThisDN'],
  RequestQueryAddress: ['ReferenceID', 'ThisDN'],
  RequestPrivateService: ['ReferenceID', 'ThisDN', 'ConnID', 'PrivateMsgID'],
  RequestAgentLogin: ['ReferenceID', 'ThisDN', 'AgentID'],
  RequestAgentLogout: ['ReferenceID', 'ThisDN'],
  RequestAgentReady: ['ReferenceID', 'ThisDN'],
  RequestAgentNotReady: ['ReferenceID', 'ThisDN'],
};

const KNOWN = new Set<string>([...CALL_EVENT_NAMES, ...AGENT_EVENT_NAMES, ...ANSWER_NAMES, ...LINK_EVENT_NAMES, ...REQUEST_NAMES]);

/** True when `name` is a message of the protocol. */
export function isKnownMessage(name: string): name is MessageName {
  return KNOWN.has(name);
}

/** Returns why `object` is not a valid `name` message, or undefined when it is. */
export function schemaProblem(name: MessageName, object: Record<string, unknown>): string | undefined {
  for (const attribute of REQUIRED_ATTRIBUTES[name]) {
    if (object[attribute] === undefined || object[attribute] === null) return `${name} lacks ${attribute}`;
  }
  for (const key in object) {
    const type = ATTRIBUTE_TYPES[key];
    if (type === undefined) continue;
    const value = object[key];
    if (value === undefined) continue;
    const problem = valueProblem(type, value);
    if (problem) return `${key} ${problem}`;
  }
  return undefined;
}

function valueProblem(type: AttributeType, value: unknown): string | undefined {
  switch (type) {
    case 'dn':
      return typeof value === 'string' && value.length > 0 && value.length <= MAX_DN ? undefined : 'is not a DN';
    case 'connId':
      // T-Library ConnIDs are 16 hex digits; tolerate other lengths of hex that bridges may produce.
      return typeof value === 'string' && /^[0-9a-fA-F]{1,32}$/.test(value) ? undefined : 'is not a ConnID';
    case 'callUuid':
      return typeof value === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(value) ? undefined : 'is not a CallUUID';
    case 'int':
      return Number.isSafeInteger(value) ? undefined : 'is not an integer';
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT ? undefined : 'is not text';
    case 'kv':
      return kvProblem(value, 0);
    case 'calls':
      return callsProblem(value);
  }
}

function kvProblem(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a key-value list';
  if (depth >= MAX_KV_DEPTH) return 'nests too deep';
  let entries = 0;
  for (const key in value as Record<string, unknown>) {
    if (++entries > MAX_KV_ENTRIES) return 'has too many entries';
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string') {
      if (v.length > MAX_TEXT) return `value of ${key} is too long`;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `value of ${key} is not finite`;
    } else {
      const nested = kvProblem(v, depth + 1);
      if (nested) return nested;
    }
  }
  return undefined;
}

function callsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length > MAX_CALLS) return 'is not a list of calls';
  for (const call of value) {
    if (call === null || typeof call !== 'object') return 'holds a non-object';
    const c = call as Record<string, unknown>;
    if (valueProblem('connId', c.ConnID) || valueProblem('callUuid', c.CallUUID)) return 'holds a call without ConnID/CallUUID';
    if (c.CallType !== undefined && !Number.isSafeInteger(c.CallType)) return 'holds a bad CallType';
    if (c.UserData !== undefined && kvProblem(c.UserData, 0)) return 'holds bad UserData';
    if (!Array.isArray(c.Parties) || c.Parties.length > MAX_PARTIES) return 'holds a call without Parties';
    for (const p of c.Parties) {
      if (p === null || typeof p !== 'object' || valueProblem('dn', (p as Record<string, unknown>).DN)) return 'holds a bad party';
    }
    if (c.Recordings !== undefined) {
      if (!Array.isArray(c.Recordings) || c.Recordings.length > MAX_PARTIES) return 'holds bad Recordings';
      for (const r of c.Recordings) {
        const rec = r as Record<string, unknown>;
        if (r === null || typeof r !== 'object' || valueProblem('dn', rec.DN) || typeof rec.State !== 'string') return 'holds a bad recording';
      }
    }
  }
  return undefined;
}
