import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import WebSocket from 'ws';
import type {
  CommandMessage,
  DesiredSnapshot,
  ErrorMessage,
  HelloMessage,
  ServerMessage,
  UpdateAvailableMessage,
  WelcomeMessage,
} from '../../src/recorders/recorder-protocol';
import type { MediaSession } from './media-session';
import { NoMediaSession } from './media-session';

/** Close codes the server uses (mirrors RecorderCloseCode; kept here so the client needs no server code). */
const REPLACED = 4409;
const POLICY_VIOLATION = 1008;
/** Finished recording ids remembered so a late resend never restarts one. */
const FINISHED_MEMORY = 32;

/** What this recorder is doing now. */
export interface LocalRecording {
  recordingId: string;
  callUuid: string;
  state: 'recording' | 'paused';
}

/** Settings of a RecorderClient. */
export interface RecorderClientOptions {
  /** `ws://host:port/api/v2/screen-recording/connect`, or a function asked before each attempt (e.g. another address after a failover). */
  url: string | (() => string);
  /** `Authorization` header value (`Basic …` or `Bearer …`), or a function asked before each attempt (token refresh). */
  authorization: string | (() => string | Promise<string>);
  hello: Partial<Omit<HelloMessage, 'type'>> & { clientVersion: string; platform: string };
  media?: MediaSession;
  /** Reconnect with backoff after a lost connection (default true). */
  reconnect?: boolean;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Answer server pings (default true; false imitates a hung recorder). */
  autoPong?: boolean;
  /** Apply and acknowledge commands (default true; false imitates a recorder that never acks). */
  autoAck?: boolean;
  /** Report `status` after each change (default true). */
  sendStatus?: boolean;
  /** PCI fail safe: pause a running recording while the connection is down (default true). */
  pauseWhileDisconnected?: boolean;
}

/** Why the local recording changed. */
export type ConvergeReason = 'snapshot' | 'command' | 'disconnected' | 'replaced' | 'closed';

/**
 * The reference screen recorder's protocol client (api.md §5): connects with the agent's credentials, says
 * hello, converges to the welcome snapshot, applies and acks commands, answers pings, and reconnects with
 * backoff. Commands are handled as desired state (start/resume: "record X", pause: "X paused", stop: "X
 * ended"), the same way as the snapshot, so repeated or superseded commands are harmless.
 *
 * Events: `welcome`, `ping`, `command` (every command frame, duplicates included), `state` (LocalRecording | null,
 * reason), `finished` ({recordingId, file}), `update-available`, `error-frame`, `rejected` ({status}),
 * `disconnected` ({code, reason}), `replaced`.
 */
export class RecorderClient extends EventEmitter {
  private ws?: WebSocket;
  private local: LocalRecording | null = null;
  private readonly finished: string[] = [];
  private queue: Promise<void> = Promise.resolve();
  private wanted = false;
  private backoffMs: number;
  private reconnectTimer?: NodeJS.Timeout;
  private livenessTimer?: NodeJS.Timeout;
  private welcomeWaiters: { resolve: (w: WelcomeMessage) => void; reject: (e: Error) => void }[] = [];
  private lastRejection?: number;
  /** The session of the current connection (from welcome). */
  sessionId?: string;
  heartbeatIntervalMs?: number;
  private readonly media: MediaSession;

  constructor(private readonly options: RecorderClientOptions) {
    super();
    this.media = options.media ?? new NoMediaSession();
    this.backoffMs = options.initialBackoffMs ?? 500;
  }

  /** The recording this recorder holds (null when idle). */
  get recording(): LocalRecording | null {
    return this.local;
  }

  /** True while a connection is open and welcomed. */
  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.sessionId !== undefined;
  }

  /** Connects (and keeps reconnecting if enabled); resolves with the first welcome. */
  connect(): Promise<WelcomeMessage> {
    this.wanted = true;
    const welcomed = new Promise<WelcomeMessage>((resolve, reject) => this.welcomeWaiters.push({ resolve, reject }));
    if (!this.ws && !this.reconnectTimer) void this.open();
    return welcomed;
  }

  /** Goes offline without ending the recording (it is paused if pauseWhileDisconnected); connect() again later. */
  async disconnect(): Promise<void> {
    this.wanted = false;
    this.clearTimers();
    await this.closeSocket(1000, 'recorder offline');
  }

  /** Ends everything: finalizes the local recording and closes the connection for good. */
  async close(): Promise<void> {
    this.wanted = false;
    this.clearTimers();
    await this.closeSocket(1000, 'recorder closing');
    await this.enqueue(() => this.converge(null, 'closed'));
  }

  /** Cuts the socket the way a network failure would; the client reconnects on its own if enabled. */
  dropConnection(): void {
    this.ws?.terminate();
  }

  /** Sends a raw frame (tools and tests probing the server). */
  sendRaw(data: string | Buffer): void {
    this.ws?.send(data);
  }

  private async open(): Promise<void> {
    let authorization: string;
    try {
      authorization = typeof this.options.authorization === 'function' ? await this.options.authorization() : this.options.authorization;
    } catch (err) {
      this.emit('socket-error', err);
      this.scheduleReconnect();
      return;
    }
    if (!this.wanted) return;
    const url = typeof this.options.url === 'function' ? this.options.url() : this.options.url;
    const ws = new WebSocket(url, {
      headers: { Authorization: authorization },
      autoPong: this.options.autoPong ?? true,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      maxPayload: 1024 * 1024,
    });
    this.ws = ws;
    this.sessionId = undefined;
    ws.on('open', () => {
      const hello = { type: 'hello', hostname: hostname(), ...this.options.hello };
      ws.send(JSON.stringify(hello));
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onFrame(data.toString());
    });
    ws.on('ping', () => {
      this.livenessTimer?.refresh();
      this.emit('ping');
    });
    ws.on('unexpected-response', (_req, res) => {
      this.lastRejection = res.statusCode;
      this.emit('rejected', { status: res.statusCode });
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => this.emit('socket-error', err));
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onFrame(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'welcome':
        return this.onWelcome(message);
      case 'command':
        return this.onCommand(message);
      case 'update-available':
        this.emit('update-available', message as UpdateAvailableMessage);
        return;
      case 'error':
        this.emit('error-frame', message as ErrorMessage);
        return;
    }
  }

  private onWelcome(welcome: WelcomeMessage): void {
    this.sessionId = welcome.sessionId;
    this.heartbeatIntervalMs = welcome.heartbeatIntervalMs;
    this.backoffMs = this.options.initialBackoffMs ?? 500;
    this.lastRejection = undefined;
    this.watchLiveness(welcome.heartbeatIntervalMs);
    this.emit('welcome', welcome);
    for (const waiter of this.welcomeWaiters.splice(0)) waiter.resolve(welcome);
    void this.enqueue(async () => {
      await this.converge(welcome.desired, 'snapshot');
      this.reportStatus();
    });
  }

  private onCommand(command: CommandMessage): void {
    this.emit('command', command);
    if (this.options.autoAck === false) return;
    const ws = this.ws;
    void this.enqueue(async () => {
      let ok = true;
      let error: string | undefined;
      try {
        await this.converge(this.desiredAfter(command), 'command');
      } catch (err) {
        ok = false;
        error = (err as Error).message;
      }
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(ok ? { type: 'ack', commandId: command.commandId, ok } : { type: 'ack', commandId: command.commandId, ok, error }));
      this.reportStatus();
    });
  }

  /** A command read as desired state; `stop` of another recording than ours changes nothing. */
  private desiredAfter(command: CommandMessage): DesiredSnapshot | null {
    const { action, recordingId, callUuid } = command;
    if (action === 'stop') return this.local?.recordingId === recordingId ? null : this.local;
    return { recordingId, callUuid, state: action === 'pause' ? 'paused' : 'recording' };
  }

  private async converge(desired: DesiredSnapshot | null, reason: ConvergeReason): Promise<void> {
    if (desired && this.finished.includes(desired.recordingId)) throw new Error(`recording ${desired.recordingId} already finished`);
    const before = this.local;
    if (this.local && this.local.recordingId !== desired?.recordingId) {
      const ended = this.local.recordingId;
      this.local = null;
      this.finished.push(ended);
      if (this.finished.length > FINISHED_MEMORY) this.finished.shift();
      const file = await this.media.stop(ended);
      this.emit('finished', { recordingId: ended, file });
    }
    if (desired && !this.local) {
      await this.media.start(desired.recordingId, { callUuid: desired.callUuid, paused: desired.state === 'paused' });
      this.local = { recordingId: desired.recordingId, callUuid: desired.callUuid, state: desired.state };
    } else if (desired && this.local && this.local.state !== desired.state) {
      if (desired.state === 'paused') await this.media.pause(desired.recordingId);
      else await this.media.resume(desired.recordingId);
      this.local = { ...this.local, state: desired.state };
    }
    if (before !== this.local) this.emit('state', this.local, reason);
  }

  private reportStatus(): void {
    if (this.options.sendStatus === false || this.ws?.readyState !== WebSocket.OPEN) return;
    const status = this.local ? { type: 'status', state: this.local.state, recordingId: this.local.recordingId } : { type: 'status', state: 'idle' };
    this.ws.send(JSON.stringify(status));
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.ws = undefined;
    this.sessionId = undefined;
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = undefined;
    this.emit('disconnected', { code, reason });
    if (code === REPLACED) {
      // Another recorder took over this agent: hand over (finish our file) and stay off, or the two would flap.
      this.wanted = false;
      this.emit('replaced');
      void this.enqueue(() => this.converge(null, 'replaced'));
    } else if (this.local?.state === 'recording' && (this.options.pauseWhileDisconnected ?? true)) {
      // When in doubt, pause: a pause sent while we are offline must not be missed (the snapshot resumes us).
      const paused: DesiredSnapshot = { ...this.local, state: 'paused' };
      void this.enqueue(() => this.converge(paused, 'disconnected'));
    }
    if (code === POLICY_VIOLATION) this.wanted = false;
    if (this.wanted && (this.options.reconnect ?? true)) {
      this.scheduleReconnect();
    } else if (this.welcomeWaiters.length) {
      const detail = this.lastRejection ? `HTTP ${this.lastRejection}` : `close ${code} ${reason}`.trim();
      for (const waiter of this.welcomeWaiters.splice(0)) waiter.reject(new Error(`recorder connection failed: ${detail}`));
    }
  }

  private scheduleReconnect(): void {
    if (!this.wanted || this.reconnectTimer) return;
    const max = this.options.maxBackoffMs ?? 30_000;
    const delay = this.backoffMs * (0.5 + Math.random() / 2);
    this.backoffMs = Math.min(this.backoffMs * 2, max);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wanted) void this.open();
    }, delay);
  }

  /** A server that stops pinging is gone even if TCP does not say so: reconnect after 2.5 silent periods. */
  private watchLiveness(heartbeatIntervalMs: number): void {
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = setTimeout(() => this.ws?.terminate(), heartbeatIntervalMs * 2.5);
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = undefined;
  }

  private async closeSocket(code: number, reason: string): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(code, reason);
    await closed;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.emit('media-error', err);
    });
    return this.queue;
  }
}
