import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';
import {
  BAYEUX_VERSION,
  BayeuxAdvice,
  BayeuxError,
  BayeuxMessage,
  CONNECTION_TYPES,
  ConnectionType,
  isValidChannel,
  META_CONNECT,
  META_DISCONNECT,
  META_HANDSHAKE,
  META_SUBSCRIBE,
  META_UNSUBSCRIBE,
} from './bayeux-protocol';
import { BayeuxOwner, BayeuxSession, BayeuxSink } from './bayeux-session';

/** Timings of the server, in milliseconds (advice and session expiry). */
export interface BayeuxTimings {
  /** How long a `/meta/connect` is held (advice `timeout`). */
  timeout: number;
  /** How long the client waits before the next connect (advice `interval`). */
  interval: number;
  /** How long a session lives without a connect before it is forgotten. */
  maxInterval: number;
}

export const DEFAULT_BAYEUX_TIMINGS: BayeuxTimings = { timeout: 30_000, interval: 0, maxInterval: 10_000 };

/** How one message reached the server. */
export interface BayeuxContext {
  owner: BayeuxOwner;
  transport: ConnectionType;
  /** The socket's sink (WebSocket transport only). */
  sink?: BayeuxSink;
  /** Aborted when the HTTP request carrying the message closes (long-polling only). */
  abort?: AbortSignal;
}

/** Channels a desktop may subscribe to: the GWS notification channels (`/v2/…`, wildcards allowed). */
const SUBSCRIBABLE = /^\/v2(\/|$)/;
const MAX_SUBSCRIPTIONS = 64;
/** Sessions one agent may hold on this node (tabs, reconnects); beyond it the oldest is forgotten. */
const MAX_SESSIONS_PER_OWNER = 32;

/**
 * The Bayeux 1.0 server of the desktop notifications: handshake, connect (held), subscribe, unsubscribe and
 * disconnect, transport-neutral (the long-polling controller and the WebSocket gateway hand it messages).
 * Sessions live on the node that handshook them; a client that reaches another node (or comes back after
 * its session expired) is told `402::Unknown client` with advice `handshake`, and CometD clients then
 * handshake again — so every node of a cluster serves desktops without shared session state.
 * Messages are routed by owner: a client only ever receives its own agent's messages.
 *
 * Our own rather than a library's: the CometD project's Node server (`cometd-nodejs-server`) has no WebSocket
 * transport, and `faye` brings its own WebSocket stack that takes the upgrade before any frame is read (so the
 * path could not keep serving plain notification sockets), and broadcasts a channel to all its subscribers
 * where every desktop subscribes to the same `/v2/me/…` names and must get only its own agent's messages.
 */
@Injectable()
export class BayeuxServer implements OnModuleDestroy {
  private readonly sessions = new Map<string, BayeuxSession>();
  private readonly byOwner = new Map<string, Set<BayeuxSession>>();
  private readonly sweeper: NodeJS.Timeout;
  private timings: BayeuxTimings = DEFAULT_BAYEUX_TIMINGS;

  private readonly published?: Counter<'channel'>;

  constructor(@Optional() metrics?: MetricsService) {
    this.sweeper = setInterval(() => this.sweep(), 1_000);
    this.sweeper.unref();
    if (metrics) {
      const sessions = this.sessions;
      new Gauge({
        name: 'rws_bayeux_sessions',
        help: 'CometD (Bayeux) clients this node knows',
        registers: [metrics.registry],
        collect() {
          this.set(sessions.size);
        },
      });
      this.published = new Counter({ name: 'rws_bayeux_published_total', help: 'Messages published to CometD clients, by channel', labelNames: ['channel'], registers: [metrics.registry] });
    }
  }

  /** Changes the timings (tests, configuration). */
  configure(timings: Partial<BayeuxTimings>): void {
    this.timings = { ...this.timings, ...timings };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    for (const session of this.sessions.values()) session.wake();
    this.sessions.clear();
    this.byOwner.clear();
  }

  /** Sends `data` on `channel` to every session of `agentKey` subscribed to it. */
  publish(agentKey: string, channel: string, data: unknown): void {
    const owned = this.byOwner.get(agentKey);
    if (!owned) return;
    this.published?.inc({ channel });
    for (const session of owned) session.deliver({ channel, data });
  }

  /** Number of live sessions (metrics, tests). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Answers one message; a `/meta/connect` answer may come after a hold. */
  async handle(message: BayeuxMessage, context: BayeuxContext): Promise<BayeuxMessage> {
    if (message.channel === META_HANDSHAKE) return this.handshake(message, context);
    if (!message.channel.startsWith('/meta/')) return reply(message, { successful: false, error: BayeuxError.publishDenied });
    const session = this.sessionOf(message, context.owner);
    if (!session) return reply(message, { successful: false, error: BayeuxError.unknownClient, advice: { reconnect: 'handshake', interval: 0 } });
    session.lastActivity = Date.now();
    switch (message.channel) {
      case META_CONNECT:
        return this.connect(session, message, context);
      case META_SUBSCRIBE:
        return this.subscribe(session, message);
      case META_UNSUBSCRIBE:
        return this.unsubscribe(session, message);
      case META_DISCONNECT:
        this.forget(session);
        return reply(message, { clientId: session.clientId, successful: true });
      default:
        return reply(message, { clientId: session.clientId, successful: false, error: BayeuxError.unknownMeta });
    }
  }

  /** Messages queued for a long-polling client, to ride along with an answer. */
  drainFor(clientId: string | undefined, owner: BayeuxOwner): BayeuxMessage[] {
    const session = clientId ? this.sessions.get(clientId) : undefined;
    return session && session.owner.agentKey === owner.agentKey ? session.drain() : [];
  }

  /** A socket closed: its sessions keep their subscriptions and queue until they connect again or expire. */
  socketClosed(sink: BayeuxSink): void {
    for (const session of this.sessions.values()) if (session.dropSink(sink)) session.wake();
  }

  private handshake(message: BayeuxMessage, context: BayeuxContext): BayeuxMessage {
    const refuse = (error: string) => reply(message, { successful: false, error, version: BAYEUX_VERSION, supportedConnectionTypes: [...CONNECTION_TYPES], advice: { reconnect: 'none' } });
    if (message.version !== undefined && typeof message.version === 'string' && !message.version.startsWith('1.')) return refuse(BayeuxError.badVersion);
    const offered = Array.isArray(message.supportedConnectionTypes) ? message.supportedConnectionTypes : [context.transport];
    if (!offered.some((type) => (CONNECTION_TYPES as readonly string[]).includes(type))) return refuse(BayeuxError.badConnectionType);
    const session = new BayeuxSession(randomBytes(18).toString('base64url'), context.owner);
    this.remember(session);
    return reply(message, {
      clientId: session.clientId,
      successful: true,
      version: BAYEUX_VERSION,
      supportedConnectionTypes: [...CONNECTION_TYPES],
      advice: this.advice(),
    });
  }

  private async connect(session: BayeuxSession, message: BayeuxMessage, context: BayeuxContext): Promise<BayeuxMessage> {
    if (message.connectionType !== undefined && !(CONNECTION_TYPES as readonly string[]).includes(message.connectionType)) {
      return reply(message, { clientId: session.clientId, successful: false, error: BayeuxError.badConnectionType, advice: { reconnect: 'handshake', interval: 0 } });
    }
    session.useSink(context.transport === 'websocket' ? context.sink : undefined);
    // The first connect is answered at once so the client reaches "connected"; a long-polling client with
    // messages waiting gets them now; otherwise the connect is held until a message or the timeout.
    if (session.connected && !(context.transport === 'long-polling' && session.hasQueued)) {
      await session.hold(this.timings.timeout, context.abort);
    }
    session.connected = true;
    session.lastActivity = Date.now();
    if (!this.sessions.has(session.clientId)) {
      return reply(message, { clientId: session.clientId, successful: false, error: BayeuxError.unknownClient, advice: { reconnect: 'none' } });
    }
    return reply(message, { clientId: session.clientId, successful: true, advice: this.advice() });
  }

  private subscribe(session: BayeuxSession, message: BayeuxMessage): BayeuxMessage {
    const subscriptions = subscriptionsOf(message);
    const base = { clientId: session.clientId, subscription: message.subscription };
    if (!subscriptions) return reply(message, { ...base, successful: false, error: BayeuxError.missingSubscription });
    for (const channel of subscriptions) {
      if (!isValidChannel(channel)) return reply(message, { ...base, successful: false, error: BayeuxError.badChannel });
      if (!SUBSCRIBABLE.test(channel)) return reply(message, { ...base, successful: false, error: BayeuxError.forbiddenChannel });
    }
    if (new Set([...session.subscriptions, ...subscriptions]).size > MAX_SUBSCRIPTIONS) {
      return reply(message, { ...base, successful: false, error: BayeuxError.tooManySubscriptions });
    }
    for (const channel of subscriptions) session.subscriptions.add(channel);
    return reply(message, { ...base, successful: true });
  }

  private unsubscribe(session: BayeuxSession, message: BayeuxMessage): BayeuxMessage {
    const subscriptions = subscriptionsOf(message);
    const base = { clientId: session.clientId, subscription: message.subscription };
    if (!subscriptions) return reply(message, { ...base, successful: false, error: BayeuxError.missingSubscription });
    for (const channel of subscriptions) session.subscriptions.delete(channel);
    return reply(message, { ...base, successful: true });
  }

  /** The session named by the message when it belongs to the caller (another user's client id is unknown to them). */
  private sessionOf(message: BayeuxMessage, owner: BayeuxOwner): BayeuxSession | undefined {
    const session = message.clientId ? this.sessions.get(message.clientId) : undefined;
    return session && session.owner.agentKey === owner.agentKey ? session : undefined;
  }

  private remember(session: BayeuxSession): void {
    this.sessions.set(session.clientId, session);
    let owned = this.byOwner.get(session.owner.agentKey);
    if (!owned) this.byOwner.set(session.owner.agentKey, (owned = new Set()));
    owned.add(session);
    if (owned.size > MAX_SESSIONS_PER_OWNER) this.forget(owned.values().next().value!);
  }

  private forget(session: BayeuxSession): void {
    this.sessions.delete(session.clientId);
    const owned = this.byOwner.get(session.owner.agentKey);
    owned?.delete(session);
    if (owned?.size === 0) this.byOwner.delete(session.owner.agentKey);
    session.wake();
  }

  /** Forgets sessions whose client stopped connecting (no held connect, silent for longer than maxInterval). */
  private sweep(now = Date.now()): void {
    for (const session of this.sessions.values()) {
      if (!session.isHolding && now - session.lastActivity > this.timings.maxInterval + this.timings.interval) this.forget(session);
    }
  }

  private advice(): BayeuxAdvice {
    return { reconnect: 'retry', interval: this.timings.interval, timeout: this.timings.timeout };
  }
}

/** An answer on the message's channel, echoing its id. */
function reply(message: BayeuxMessage, fields: Partial<BayeuxMessage>): BayeuxMessage {
  return { channel: message.channel, ...(message.id !== undefined ? { id: message.id } : {}), ...fields };
}

function subscriptionsOf(message: BayeuxMessage): string[] | undefined {
  const raw = message.subscription;
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (!list || list.length === 0 || list.length > MAX_SUBSCRIPTIONS || !list.every((s) => typeof s === 'string')) return undefined;
  return list;
}
