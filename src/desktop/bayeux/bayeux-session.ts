import { BayeuxMessage, channelMatches } from './bayeux-protocol';

/** Whose session it is: messages are routed by agent key, and only the owner may use the client id. */
export interface BayeuxOwner {
  agentKey: string;
  userName: string;
}

/** Pushes messages to a client right away (a WebSocket); long-polling sessions have none and queue instead. */
export type BayeuxSink = (messages: BayeuxMessage[]) => void;

/** Messages kept for a long-polling client between two connects; beyond it the oldest are dropped. */
const MAX_QUEUE = 1000;

/**
 * One Bayeux client (a handshake's `clientId`): its subscriptions, the messages waiting for its next
 * `/meta/connect` (long-polling) or the socket they are pushed to (WebSocket), and its held connect.
 */
export class BayeuxSession {
  readonly subscriptions = new Set<string>();
  /** When the client was last heard from or last answered: the sweeper expires idle sessions from it. */
  lastActivity = Date.now();
  /** Whether the first `/meta/connect` was answered (that one is answered at once). */
  connected = false;
  private queue: BayeuxMessage[] = [];
  private sink?: BayeuxSink;
  private release?: () => void;

  constructor(
    readonly clientId: string,
    readonly owner: BayeuxOwner,
  ) {}

  get isHolding(): boolean {
    return this.release !== undefined;
  }

  get hasQueued(): boolean {
    return this.queue.length > 0;
  }

  subscribedTo(channel: string): boolean {
    for (const pattern of this.subscriptions) if (channelMatches(pattern, channel)) return true;
    return false;
  }

  /** Delivers `message` if the client subscribed to its channel: pushed to the socket, or queued for the next connect. */
  deliver(message: BayeuxMessage): void {
    if (!this.subscribedTo(message.channel)) return;
    if (this.sink) {
      this.sink([message]);
      return;
    }
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUE) this.queue.shift();
    this.wake();
  }

  /** The transport the client connects over now: a socket's sink, or none for long-polling. Queued messages follow it. */
  useSink(sink: BayeuxSink | undefined): void {
    this.sink = sink;
    if (sink && this.queue.length > 0) sink(this.drain());
  }

  /** Forgets `sink` when it is still the current one (its socket closed); true when it was. */
  dropSink(sink: BayeuxSink): boolean {
    if (this.sink !== sink) return false;
    this.sink = undefined;
    return true;
  }

  /** The queued messages, emptied. */
  drain(): BayeuxMessage[] {
    const queued = this.queue;
    this.queue = [];
    return queued;
  }

  /**
   * Holds a `/meta/connect` for at most `timeoutMs`: until then, a queued message (long-polling), a newer
   * connect, a disconnect or `abort` (the HTTP request closed) ends it early. A client has one held connect.
   */
  hold(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    this.wake();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', done);
        if (this.release === done) this.release = undefined;
        this.lastActivity = Date.now();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      abort?.addEventListener('abort', done);
      this.release = done;
    });
  }

  /** Ends the held connect, if any. */
  wake(): void {
    this.release?.();
  }
}
