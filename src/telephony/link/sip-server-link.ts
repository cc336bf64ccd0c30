import { Logger } from '@nestjs/common';
import { connect, Socket } from 'node:net';
import type { HostPort } from '../../config/host-port';
import { DecodedLine, DEFAULT_MAX_LINE_BYTES, encodeMessage, TlibLineDecoder } from '../tlib/tlib-codec';
import { AGENT_EVENT_NAMES, ANSWER_NAMES, TlibMessage } from '../tlib/tlib-messages';
import { EventSequenceTracker } from './event-sequence-tracker';
import { BackoffOptions, DEFAULT_BACKOFF, ReconnectBackoff } from './reconnect-backoff';
import { guardedListener, LinkListener, LinkLogger, LinkServerInfo } from './link-listener';
import { TlibRequest, TlibRequester, TlibResult } from './tlib-request';

/** Settings of the link; defaults suit a LAN SIP Server pair. */
export interface SipServerLinkOptions {
  /** Primary first, then the backup. */
  addresses: HostPort[];
  connectTimeoutMs: number;
  /** Time for the server's first message (EventLinkConnected) after TCP connects. */
  handshakeTimeoutMs: number;
  requestTimeoutMs: number;
  backoff: BackoffOptions;
  maxLineBytes: number;
  reorderWindowMs: number;
  /** A peer that does not read: beyond this many unsent bytes the link is dropped and re-established. */
  maxWriteBufferBytes: number;
  /** Invalid lines tolerated per window before the link is considered broken and re-established. */
  invalidBudget: { count: number; windowMs: number };
}

export const DEFAULT_LINK_OPTIONS: Omit<SipServerLinkOptions, 'addresses'> = {
  connectTimeoutMs: 3000,
  handshakeTimeoutMs: 3000,
  requestTimeoutMs: 5000,
  backoff: DEFAULT_BACKOFF,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  reorderWindowMs: 100,
  maxWriteBufferBytes: 8 * 1024 * 1024,
  invalidBudget: { count: 100, windowMs: 10_000 },
};

/** Counters for metrics and tests. */
export interface LinkStats {
  messages: number;
  invalid: number;
  unknown: number;
  duplicates: number;
  stale: number;
  gaps: number;
  connects: number;
  requests: number;
  timeouts: number;
}

export type { LinkListener, LinkLogger, LinkServerInfo } from './link-listener';

export type LinkState = 'idle' | 'connecting' | 'handshaking' | 'up' | 'stopped';

interface Pending {
  resolve(result: TlibResult): void;
  timer: NodeJS.Timeout;
}

// T-Library answers an agent request with the agent event itself echoing the ReferenceID (EventACK is accepted too).
const ANSWERS = new Set<string>([...ANSWER_NAMES, ...AGENT_EVENT_NAMES]);
const MAX_REFERENCE_ID = 2 ** 31 - 1;

/**
 * The TCP link to a SIP Server pair, speaking the JSON-lines T-Library protocol. Connects to the primary or
 * the backup (rotating, exponential backoff with jitter), sends requests with a ReferenceID and a timeout,
 * orders and dedupes the event stream, and never throws out of a socket handler: bad input is logged and
 * dropped, and a peer that keeps sending it is disconnected.
 */
export class SipServerLink implements TlibRequester {
  private readonly options: SipServerLinkOptions;
  private readonly backoff: ReconnectBackoff;
  private readonly tracker: EventSequenceTracker<DecodedLine>;
  private readonly pending = new Map<number, Pending>();
  private socket: Socket | undefined;
  private decoder: TlibLineDecoder;
  private addressIndex = 0;
  private nextReferenceId = 1;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private invalidTimes: number[] = [];
  private current: LinkServerInfo | undefined;
  private linkState: LinkState = 'idle';
  readonly stats: LinkStats = { messages: 0, invalid: 0, unknown: 0, duplicates: 0, stale: 0, gaps: 0, connects: 0, requests: 0, timeouts: 0 };

  private readonly listener: LinkListener;

  constructor(
    options: Partial<SipServerLinkOptions> & { addresses: HostPort[] },
    listener: LinkListener,
    private readonly logger: LinkLogger = new Logger('SipServerLink'),
  ) {
    if (options.addresses.length === 0) throw new Error('SipServerLink needs at least one address');
    this.listener = guardedListener(listener, logger);
    this.options = { ...DEFAULT_LINK_OPTIONS, ...options };
    this.backoff = new ReconnectBackoff(this.options.backoff);
    this.decoder = new TlibLineDecoder(this.options.maxLineBytes);
    this.tracker = new EventSequenceTracker<DecodedLine>(
      {
        deliver: (line) => this.dispatch(line),
        gap: (missing) => {
          this.stats.gaps++;
          this.logger.warn({ msg: 'event sequence gap', ...missing });
          this.listener.resyncNeeded('sequence gap');
        },
        newServer: (previous, current) => this.serverChanged(previous, current),
        dropped: (reason, position) => {
          if (reason === 'duplicate') this.stats.duplicates++;
          else this.stats.stale++;
          this.logger.debug({ msg: `dropped ${reason} event`, ...position });
        },
      },
      { reorderWindowMs: this.options.reorderWindowMs, maxHeld: 1000 },
    );
  }

  get state(): LinkState {
    return this.linkState;
  }

  get isUp(): boolean {
    return this.linkState === 'up';
  }

  /** The server of the current link session, while up. */
  get server(): LinkServerInfo | undefined {
    return this.isUp ? this.current : undefined;
  }

  /** Starts connecting; the link keeps itself up until stop(). */
  start(): void {
    if (this.linkState !== 'idle') return;
    this.connectNow();
  }

  /** Closes the link for good; pending requests end as link-down. */
  async stop(): Promise<void> {
    const wasUp = this.isUp;
    this.linkState = 'stopped';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.clearHandshakeTimer();
    this.tracker.dispose();
    this.failPending();
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
    if (wasUp) this.listener.linkDown('link stopped');
  }

  /** Sends a request; resolves with its answer, a timeout or link-down. Never rejects. */
  request(request: TlibRequest, timeoutMs = this.options.requestTimeoutMs): Promise<TlibResult> {
    const socket = this.socket;
    if (!this.isUp || !socket) return Promise.resolve({ kind: 'link-down' });
    const referenceId = this.nextReferenceId;
    this.nextReferenceId = referenceId >= MAX_REFERENCE_ID ? 1 : referenceId + 1;
    this.stats.requests++;
    return new Promise<TlibResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(referenceId);
        this.stats.timeouts++;
        this.logger.warn({ msg: 'request timed out', request: request.message, referenceId, timeoutMs });
        resolve({ kind: 'timeout', timeoutMs });
      }, timeoutMs);
      this.pending.set(referenceId, { resolve, timer });
      this.write(socket, encodeMessage({ ...request, ReferenceID: referenceId } as TlibMessage));
    });
  }

  private connectNow(): void {
    if (this.linkState === 'stopped') return;
    const address = this.options.addresses[this.addressIndex];
    const label = `${address.host}:${address.port}`;
    this.linkState = 'connecting';
    this.decoder = new TlibLineDecoder(this.options.maxLineBytes);
    this.tracker.reset();
    const socket = connect({ host: address.host, port: address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.options.connectTimeoutMs);
    let closeReason = 'connection closed';
    socket.on('timeout', () => {
      closeReason = 'connect timeout';
      socket.destroy();
    });
    socket.on('connect', () => {
      socket.setTimeout(0);
      socket.setKeepAlive(true, 5000);
      this.stats.connects++;
      this.linkState = 'handshaking';
      this.handshakeTimer = setTimeout(() => {
        closeReason = 'no EventLinkConnected from the server';
        socket.destroy();
      }, this.options.handshakeTimeoutMs);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      try {
        this.onData(socket, chunk, label);
      } catch (err) {
        // A bug of ours must not take the process down: drop this link and rebuild from the server.
        this.logger.error({ msg: 'link handler failed; reconnecting', error: (err as Error).message, stack: (err as Error).stack });
        closeReason = 'internal error';
        socket.destroy();
      }
    });
    socket.on('error', (err) => {
      closeReason = err.message;
    });
    socket.on('close', () => this.onClose(socket, label, closeReason));
  }

  private onData(socket: Socket, chunk: Buffer, label: string): void {
    for (const line of this.decoder.push(chunk)) {
      if (socket.destroyed) return;
      if (this.linkState === 'handshaking') {
        this.handshake(line, label);
        continue;
      }
      if (this.linkState !== 'up') return;
      if (line.kind === 'invalid' && !line.position) {
        this.invalid(line);
        continue;
      }
      this.tracker.accept(line, line.position);
    }
  }

  /** The first message decides: EventLinkConnected opens the session, anything else closes it. */
  private handshake(line: DecodedLine, label: string): void {
    const socket = this.socket;
    if (line.kind === 'message' && line.message.message === 'EventLinkConnected') {
      this.clearHandshakeTimer();
      const m = line.message;
      this.current = { address: label, serverStartTime: m.ServerStartTime as number, serverName: m.ServerName, serverRole: m.ServerRole };
      this.tracker.accept(line, line.position);
      this.linkState = 'up';
      this.backoff.reset();
      this.invalidTimes = [];
      this.logger.log({ msg: 'SIP Server link up', ...this.current });
      this.listener.linkUp(this.current);
      return;
    }
    const why = line.kind === 'message' && line.message.message === 'EventLinkDisconnected' ? 'server not in service (backup)' : 'unexpected first message';
    this.logger.log({ msg: 'SIP Server refused the link session', address: label, reason: why });
    socket?.destroy();
  }

  private dispatch(line: DecodedLine): void {
    if (line.kind === 'unknown') {
      this.stats.unknown++;
      this.logger.debug({ msg: 'ignored unknown message', name: line.name });
      return;
    }
    if (line.kind === 'invalid') {
      this.invalid(line);
      return;
    }
    const message = line.message;
    this.stats.messages++;
    if (message.message === 'EventLinkDisconnected') {
      this.logger.warn({ msg: 'server announced EventLinkDisconnected; reconnecting' });
      this.socket?.destroy();
      return;
    }
    if (message.message === 'EventLinkConnected') return;
    if (ANSWERS.has(message.message) && message.ReferenceID !== undefined) this.answer(message);
    this.listener.message(message);
  }

  private answer(message: TlibMessage): void {
    const pending = this.pending.get(message.ReferenceID as number);
    if (!pending) {
      if (message.message === 'EventError') this.logger.warn({ msg: 'EventError for no pending request', ErrorCode: message.ErrorCode, ErrorMessage: message.ErrorMessage });
      return;
    }
    this.pending.delete(message.ReferenceID as number);
    clearTimeout(pending.timer);
    if (message.message === 'EventError') {
      pending.resolve({ kind: 'error', errorCode: message.ErrorCode as number, errorMessage: message.ErrorMessage ?? '', event: message });
    } else {
      pending.resolve({ kind: 'ack', event: message });
    }
  }

  private invalid(line: Extract<DecodedLine, { kind: 'invalid' }>): void {
    this.stats.invalid++;
    const now = Date.now();
    const { count, windowMs } = this.options.invalidBudget;
    this.invalidTimes = this.invalidTimes.filter((t) => now - t < windowMs);
    this.invalidTimes.push(now);
    if (this.invalidTimes.length <= 20) this.logger.warn({ msg: 'dropped invalid line', reason: line.reason, excerpt: line.excerpt });
    if (this.invalidTimes.length > count) {
      this.logger.error({ msg: 'too many invalid lines; re-establishing the link', count: this.invalidTimes.length, windowMs });
      this.socket?.destroy();
      return;
    }
    // The dropped line may have been an event we needed.
    this.listener.resyncNeeded('invalid line');
  }

  /** A bridge announced a new server incarnation on the same connection: treat it as a switchover. */
  private serverChanged(previous: number, current: number): void {
    this.logger.warn({ msg: 'server incarnation changed on the link', previous, current });
    if (!this.current) return;
    this.current = { ...this.current, serverStartTime: current };
    this.failPending();
    this.listener.linkDown('server changed');
    this.listener.linkUp(this.current);
  }

  private write(socket: Socket, line: string): void {
    if (socket.writableLength > this.options.maxWriteBufferBytes) {
      this.logger.error({ msg: 'server is not reading; re-establishing the link', buffered: socket.writableLength });
      socket.destroy();
      return;
    }
    socket.write(line);
  }

  private onClose(socket: Socket, label: string, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.clearHandshakeTimer();
    this.tracker.reset();
    const wasUp = this.linkState === 'up';
    this.failPending();
    if (this.linkState === 'stopped') return;
    this.linkState = 'connecting';
    if (wasUp) {
      this.logger.warn({ msg: 'SIP Server link down', address: label, reason });
      this.listener.linkDown(reason);
    } else {
      this.logger.debug({ msg: 'SIP Server connection failed', address: label, reason });
    }
    this.addressIndex = (this.addressIndex + 1) % this.options.addresses.length;
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => this.connectNow(), delay);
  }

  private failPending(): void {
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ kind: 'link-down' });
    }
    this.pending.clear();
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }
}

