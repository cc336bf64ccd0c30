/**
 * Bayeux 1.0 (the CometD protocol) as GWS desktops speak it at `/api/v2/notifications`: the message shape,
 * the meta channels, advice, error strings (`<code>::<text>`), and channel names with `*` / `**` wildcards.
 */

export const BAYEUX_VERSION = '1.0';
export const CONNECTION_TYPES = ['websocket', 'long-polling'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export const META_HANDSHAKE = '/meta/handshake';
export const META_CONNECT = '/meta/connect';
export const META_SUBSCRIBE = '/meta/subscribe';
export const META_UNSUBSCRIBE = '/meta/unsubscribe';
export const META_DISCONNECT = '/meta/disconnect';

/** A Bayeux message (only the fields RWS reads or writes; others are ignored). */
export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  version?: string;
  minimumVersion?: string;
  supportedConnectionTypes?: string[];
  connectionType?: string;
  subscription?: string | string[];
  successful?: boolean;
  error?: string;
  advice?: BayeuxAdvice;
  data?: unknown;
  ext?: unknown;
}

/** What the server tells the client about reconnecting (all times in milliseconds). */
export interface BayeuxAdvice {
  reconnect?: 'retry' | 'handshake' | 'none';
  interval?: number;
  timeout?: number;
}

/** Largest batch of messages one request or frame may carry. */
export const MAX_BATCH = 32;
const MAX_CHANNEL_LENGTH = 256;
const SEGMENT = /^[A-Za-z0-9_\-.~!$()+@]+$/;

/**
 * Reads a request body or WebSocket frame as a batch of Bayeux messages (a single object is a batch of one).
 * Returns undefined when it is not Bayeux at all, which is how the notifications socket tells a CometD client
 * from a plain notification subscriber.
 */
export function asBayeuxBatch(body: unknown): BayeuxMessage[] | undefined {
  const batch = Array.isArray(body) ? body : [body];
  if (batch.length === 0 || batch.length > MAX_BATCH) return undefined;
  for (const message of batch) {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
    const { channel, id, clientId } = message as Record<string, unknown>;
    if (typeof channel !== 'string' || !channel.startsWith('/')) return undefined;
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return undefined;
    if (clientId !== undefined && typeof clientId !== 'string') return undefined;
  }
  return batch.map((m: BayeuxMessage) => (typeof m.id === 'number' ? { ...m, id: String(m.id) } : m));
}

/** Whether `name` is a valid channel name or pattern: segments, with `*` or `**` only as the last one. */
export function isValidChannel(name: string): boolean {
  if (name.length > MAX_CHANNEL_LENGTH || !name.startsWith('/')) return false;
  const segments = name.slice(1).split('/');
  return segments.every((segment, i) => SEGMENT.test(segment) || ((segment === '*' || segment === '**') && i === segments.length - 1));
}

/** Whether the subscription `pattern` (possibly ending in `*` or `**`) covers `channel`. */
export function channelMatches(pattern: string, channel: string): boolean {
  if (pattern === channel) return true;
  if (pattern.endsWith('/**')) return channel.startsWith(pattern.slice(0, -2));
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -1);
    return channel.startsWith(prefix) && !channel.slice(prefix.length).includes('/');
  }
  return false;
}

/** Bayeux error strings: `<code>::<args>::<message>` (the codes CometD servers use). */
export const BayeuxError = {
  unknownClient: '402::Unknown client',
  badVersion: '400::Unsupported version',
  badConnectionType: '400::Unsupported connection type',
  badChannel: '400::Invalid channel',
  unknownMeta: '400::Unknown meta channel',
  missingSubscription: '400::Missing subscription',
  forbiddenChannel: '403::Forbidden channel',
  publishDenied: '403::Publish denied',
  tooManySubscriptions: '403::Too many subscriptions',
} as const;
