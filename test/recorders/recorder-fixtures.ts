import type { IncomingHttpHeaders } from 'node:http';
import type { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Principal } from '../../src/identity/principal';
import { AgentSessionPort } from '../../src/recorders/agent-session.port';
import { DefaultAgentSettings } from '../../src/recorders/agent-settings.port';
import { RecorderAuthenticator } from '../../src/recorders/recorder-authenticator';
import type { DeviceRef, ServerMessage } from '../../src/recorders/recorder-protocol';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { RecordersService } from '../../src/recorders/recorders.service';
import type { AgentRef, RecordingSignal } from '../../src/recorders/recording-signals';
import { RecorderClient, RecorderClientOptions } from '../../tools/recorder/recorder-client';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

export const CCID = '5b0a4c1e-9d7f-4e59-a1a5-0c7d3f0e9a11';

/** Test agents: each is reachable with `Bearer token-<userName>`. */
export const AGENTS = {
  alice: { ccid: CCID, userName: 'alice', agentId: '7001' },
  bob: { ccid: CCID, userName: 'bob', agentId: '7002' },
  carol: { ccid: CCID, userName: 'carol', agentId: '7003' },
} satisfies Record<string, AgentRef>;
export type AgentName = keyof typeof AGENTS;

/** The authenticator port bound to fixed test tokens (identity binds the real Basic/JWT check at merge). */
export class TokenAuthenticator extends RecorderAuthenticator {
  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    const match = /^Bearer token-(\w+)$/.exec(headers.authorization ?? '');
    const agent = match ? AGENTS[match[1] as AgentName] : undefined;
    if (!agent) return undefined;
    return { kind: 'user', userName: agent.userName, ccid: agent.ccid, agentId: agent.agentId, roles: ['agent'], permissions: [], accessGroups: [] };
  }
}

/** Remembers the sessions started from hello. */
export class TestAgentSessions extends AgentSessionPort {
  readonly started: { userName: string; place?: string; devices: DeviceRef[] }[] = [];
  async startSession(principal: Principal, place: string | undefined, devices: DeviceRef[]): Promise<void> {
    this.started.push({ userName: principal.userName, place, devices });
  }
}

/**
 * A running RWS with a short resend period and test ports (every agent recorded with voice: recordingWhen
 * from the user store is proven with the real wiring in test/screen-recordings/screen-recording-when.e2e-spec.ts), plus helpers to drive it. The heartbeat is 2 s by
 * default (a busy shared machine must not make well-behaved recorders miss pongs); the heartbeat suite uses
 * a short one.
 */
export class RecorderTestBed {
  readonly sessions = new TestAgentSessions();
  private readonly clients: RecorderClient[] = [];
  private readonly sockets: WebSocket[] = [];
  app!: TestApp;
  service!: RecordersService;
  channelUrl!: string;

  async start(env: Record<string, string> = {}): Promise<this> {
    const config = testConfig({ env: { RWS_RECORDER_HEARTBEAT_MS: '2000', RWS_RECORDER_RESEND_MS: '100', ...env } });
    this.app = await startTestApp(config, { recorders: { authenticator: TokenAuthenticator, agentSettings: DefaultAgentSettings, agentSessions: this.sessions } });
    this.service = this.app.app.get(RecordersService);
    this.channelUrl = `${this.app.url.replace(/^http/, 'ws')}${RECORDER_CHANNEL_PATH}`;
    return this;
  }

  /** A reference recorder client for a test agent (closed after the test by `cleanUp`). */
  recorder(agent: AgentName, options: Partial<RecorderClientOptions> = {}): RecorderClient {
    const client = new RecorderClient({
      url: this.channelUrl,
      authorization: `Bearer token-${agent}`,
      hello: { clientVersion: '1.0.0', platform: 'test-os', hostname: `${agent}-pc` },
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  /** A bare `ws` connection (for frames the reference client would never send). */
  async rawSocket(authorization: string): Promise<RawRecorder> {
    const ws = new WebSocket(this.channelUrl, { headers: { Authorization: authorization } });
    this.sockets.push(ws);
    const raw = new RawRecorder(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return raw;
  }

  signal(type: RecordingSignal['type'], agent: AgentName, callUuid: string, extra: Partial<RecordingSignal> = {}): void {
    this.service.onSignal({ type, agent: AGENTS[agent], callUuid, connId: `conn-${callUuid.slice(-4)}`, at: new Date().toISOString(), ...extra });
  }

  async cleanUp(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
    for (const ws of this.sockets.splice(0)) ws.terminate();
  }

  async stop(): Promise<void> {
    await this.cleanUp();
    await this.app.close();
  }
}

/** A raw WebSocket that collects what the server sends and how it closed. */
export class RawRecorder {
  readonly received: ServerMessage[] = [];
  closed?: { code: number; reason: string };

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(JSON.parse(data.toString()) as ServerMessage));
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  }

  hello(extra: Record<string, unknown> = {}): void {
    this.send({ type: 'hello', clientVersion: '1.0.0', platform: 'test-os', hostname: 'raw-pc', ...extra });
  }

  ofType<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
}

/** Resolves with the next `event` of `emitter` whose arguments satisfy `accept`. */
export function nextEvent<T = unknown>(emitter: EventEmitter, event: string, accept: (value: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeListener(event, listener);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (value: T) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.removeListener(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

/** A CallUUID-like id (32 characters) unique within the run. */
let callCounter = 0;
export function newCallUuid(): string {
  callCounter++;
  return `TESTCALL${String(Date.now()).padStart(16, '0')}${String(callCounter).padStart(8, '0')}`;
}
