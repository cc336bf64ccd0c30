/**
 * The screen recorder channel's wire format (api.md §5): one JSON object per text frame, `type` names it.
 * Shared by the server and the reference recorder (tools/recorder), so both read the same definitions.
 */

/** Path of the WebSocket endpoint. */
export const RECORDER_CHANNEL_PATH = '/api/v2/screen-recording/connect';

/** Largest frame a recorder may send; a bigger one closes that connection with 1009. */
export const MAX_RECORDER_FRAME_BYTES = 64 * 1024;

/** Close codes the server uses, beyond the standard ones (1001 going away, 1003 unsupported, 1008 policy, 1009 too big). */
export const RecorderCloseCode = {
  /** Server shutting down. */
  GoingAway: 1001,
  /** Repeated frames the server cannot understand. */
  UnsupportedData: 1003,
  /** The recorder broke a rule (e.g. its hello names another agent). */
  PolicyViolation: 1008,
  /** Frame over MAX_RECORDER_FRAME_BYTES (sent by `ws` itself). */
  MessageTooBig: 1009,
  /** No hello within the allowed time. */
  HelloTimeout: 4408,
  /** A newer connection of the same agent replaced this one; do not reconnect automatically. */
  Replaced: 4409,
} as const;

/** State of the agent's screen recording as RWS wants it. */
export type DesiredScreenState = 'recording' | 'paused';

/** The desired-state snapshot in `welcome`: what the recorder must converge to, or null for "record nothing". */
export interface DesiredSnapshot {
  recordingId: string;
  callUuid: string;
  state: DesiredScreenState;
}

/** What a command asks. */
export type CommandAction = 'start' | 'pause' | 'resume' | 'stop';

/** A device the agent works on (`devices` of hello). */
export interface DeviceRef {
  dn: string;
  switch?: string;
}

/** client → server: the first frame of a connection. */
export interface HelloMessage {
  type: 'hello';
  clientVersion: string;
  platform: string;
  hostname: string;
  place?: string;
  devices?: DeviceRef[];
  /** Optional claims; when present they must name the authenticated agent, else the connection is refused. */
  userName?: string;
  agentId?: string;
}

/** client → server: outcome of one command. */
export interface AckMessage {
  type: 'ack';
  commandId: string;
  ok: boolean;
  error?: string;
}

/** What the recorder is doing, as it reports it. */
export type RecorderReportedState = 'idle' | 'recording' | 'paused' | 'uploading';

/** client → server: the recorder's own state. */
export interface StatusMessage {
  type: 'status';
  state: RecorderReportedState;
  recordingId?: string;
}

/** Any frame a recorder may send. */
export type ClientMessage = HelloMessage | AckMessage | StatusMessage;

/** server → client: answer to hello, carrying the desired-state snapshot. */
export interface WelcomeMessage {
  type: 'welcome';
  sessionId: string;
  heartbeatIntervalMs: number;
  agent: { userName: string; agentId: string | null };
  desired: DesiredSnapshot | null;
}

/** server → client: do something with the screen recording. */
export interface CommandMessage {
  type: 'command';
  commandId: string;
  action: CommandAction;
  recordingId: string;
  callUuid: string;
  connId: string;
  at: string;
}

/** server → client: a newer recorder build exists for this platform. */
export interface UpdateAvailableMessage {
  type: 'update-available';
  version: string;
  platform: string;
  size: number;
  sha256: string;
  url: string;
}

/** Why a frame was refused. */
export type ProtocolErrorCode = 'not-json' | 'binary-frame' | 'invalid-message' | 'unknown-type' | 'hello-required' | 'already-greeted' | 'agent-mismatch' | 'session-failed';

/** server → client: a frame was refused (the connection stays open unless abuse repeats). */
export interface ErrorMessage {
  type: 'error';
  code: ProtocolErrorCode;
  message: string;
}

/** Any frame the server sends. */
export type ServerMessage = WelcomeMessage | CommandMessage | UpdateAvailableMessage | ErrorMessage;

/** Result of reading one client frame. */
export type ParsedClientFrame = { ok: true; message: ClientMessage } | { ok: false; code: ProtocolErrorCode; message: string };

const MAX_TEXT = 256;
const MAX_ERROR_TEXT = 1024;
const MAX_DEVICES = 16;
const REPORTED_STATES: ReadonlySet<string> = new Set(['idle', 'recording', 'paused', 'uploading']);

/** Parses and validates one text frame from a recorder. Never throws. */
export function parseClientFrame(text: string): ParsedClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'not-json', message: 'A frame must hold one JSON object.' };
  }
  if (!isRecord(value)) return { ok: false, code: 'invalid-message', message: 'A frame must hold one JSON object.' };
  switch (value.type) {
    case 'hello':
      return readHello(value);
    case 'ack':
      return readAck(value);
    case 'status':
      return readStatus(value);
    default:
      return typeof value.type === 'string'
        ? { ok: false, code: 'unknown-type', message: `Unknown message type '${value.type.slice(0, 40)}'.` }
        : { ok: false, code: 'invalid-message', message: "Field 'type' is required." };
  }
}

function readHello(v: Record<string, unknown>): ParsedClientFrame {
  for (const field of ['clientVersion', 'platform', 'hostname'] as const) {
    if (!isText(v[field])) return invalid(`hello.${field} must be a non-empty string of at most ${MAX_TEXT} characters.`);
  }
  for (const field of ['place', 'userName', 'agentId'] as const) {
    if (v[field] !== undefined && !isText(v[field])) return invalid(`hello.${field} must be a non-empty string.`);
  }
  let devices: DeviceRef[] | undefined;
  if (v.devices !== undefined) {
    if (!Array.isArray(v.devices) || v.devices.length > MAX_DEVICES) return invalid(`hello.devices must be an array of at most ${MAX_DEVICES} devices.`);
    devices = [];
    for (const d of v.devices) {
      if (!isRecord(d) || !isText(d.dn) || (d.switch !== undefined && !isText(d.switch))) {
        return invalid('hello.devices[] must be {dn, switch?} with non-empty strings.');
      }
      devices.push(d.switch === undefined ? { dn: d.dn } : { dn: d.dn, switch: d.switch as string });
    }
  }
  const hello: HelloMessage = {
    type: 'hello',
    clientVersion: v.clientVersion as string,
    platform: v.platform as string,
    hostname: v.hostname as string,
  };
  if (v.place !== undefined) hello.place = v.place as string;
  if (v.userName !== undefined) hello.userName = v.userName as string;
  if (v.agentId !== undefined) hello.agentId = v.agentId as string;
  if (devices) hello.devices = devices;
  return { ok: true, message: hello };
}

function readAck(v: Record<string, unknown>): ParsedClientFrame {
  if (!isText(v.commandId)) return invalid('ack.commandId must be a non-empty string.');
  if (typeof v.ok !== 'boolean') return invalid('ack.ok must be a boolean.');
  if (v.error !== undefined && (typeof v.error !== 'string' || v.error.length > MAX_ERROR_TEXT)) {
    return invalid(`ack.error must be a string of at most ${MAX_ERROR_TEXT} characters.`);
  }
  const ack: AckMessage = { type: 'ack', commandId: v.commandId, ok: v.ok };
  if (typeof v.error === 'string') ack.error = v.error;
  return { ok: true, message: ack };
}

function readStatus(v: Record<string, unknown>): ParsedClientFrame {
  if (typeof v.state !== 'string' || !REPORTED_STATES.has(v.state)) return invalid('status.state must be idle, recording, paused or uploading.');
  if (v.recordingId !== undefined && !isText(v.recordingId)) return invalid('status.recordingId must be a non-empty string.');
  const status: StatusMessage = { type: 'status', state: v.state as RecorderReportedState };
  if (v.recordingId !== undefined) status.recordingId = v.recordingId as string;
  return { ok: true, message: status };
}

function invalid(message: string): ParsedClientFrame {
  return { ok: false, code: 'invalid-message', message };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
}
