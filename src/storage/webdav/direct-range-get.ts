import net from 'node:net';
import type { ByteRange } from '../../common/http/byte-range';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import type { ByteRead, ByteSink } from '../byte-read';

/** Tuning of a DirectRangeGet. */
export interface DirectRangeGetOptions {
  /** Socket inactivity after which a read fails as "WebDAV unavailable". */
  timeoutMs: number;
  /** Parallel connections to the server (more reads wait for one). */
  maxSockets: number;
  /** How long an unused connection is kept (below Apache's 5 s KeepAliveTimeout, so we close first). */
  idleMs?: number;
  /** Size of each connection's receive buffer. */
  bufferBytes?: number;
}

/** What opening a range read gave: the read, or `fallback` when the answer is anything but a plain 206. */
export type DirectRangeOpen = { kind: 'read'; read: ByteRead } | { kind: 'fallback' };

const DEFAULT_IDLE_MS = 4_000;
const DEFAULT_BUFFER_BYTES = 256 * 1024;
const MAX_HEAD_BYTES = 32 * 1024;

/**
 * GETs byte ranges over plain HTTP/1.1 and hands the body to a sink straight from each connection's receive
 * buffer (`net` `onread`): no Buffer is allocated per received packet and nothing is copied by an HTTP
 * parser, which is what node:http costs per byte (and, through garbage collection of those buffers, most of
 * a playback's CPU). Deliberately narrow: only a `206` whose Content-Range is the asked range, with a
 * Content-Length body, is read here; any other answer (200, 404, 416, chunked, …) is reported as `fallback`
 * so that the caller asks again through its full HTTP client, which knows what each answer means.
 * Connections are kept alive (bounded), and a request that dies on a reused connection before any answer is
 * sent again once.
 */
export class DirectRangeGet {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<() => void> = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly server: { host: string; port: number; hostHeader: string },
    private readonly authorization: string | undefined,
    private readonly options: DirectRangeGetOptions,
  ) {}

  /** Reads bytes [range.start, range.end] of `pathname` (already percent-encoded). */
  async get(pathname: string, range: ByteRange): Promise<DirectRangeOpen> {
    const head =
      `GET ${pathname} HTTP/1.1\r\nHost: ${this.server.hostHeader}\r\n` +
      (this.authorization ? `Authorization: ${this.authorization}\r\n` : '') +
      `Range: bytes=${range.start}-${range.end}\r\n\r\n`;
    for (let attempt = 1; ; attempt++) {
      const connection = await this.acquire();
      try {
        return await connection.exchange(head, range);
      } catch (err) {
        if (attempt === 1 && err instanceof StaleConnectionError) continue;
        throw err instanceof StaleConnectionError ? new DependencyUnavailableException('WebDAV', err.cause) : err;
      }
    }
  }

  /** Closes every connection (application shutdown). */
  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.destroy();
  }

  private async acquire(): Promise<Connection> {
    for (;;) {
      const reusable = this.idle.pop();
      if (reusable) return reusable;
      if (this.open < this.options.maxSockets) {
        this.open++;
        return new Connection(this.server, this.options, (c, reusable) => this.released(c, reusable));
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** A connection finished an exchange (reusable) or closed. */
  private released(connection: Connection, reusable: boolean): void {
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    if (reusable && !this.closed) {
      this.idle.push(connection);
    } else {
      this.open--;
      connection.destroy();
    }
    this.waiting.shift()?.();
  }
}

/** A request died on a kept-alive connection before any answer: the server had closed it; send it again. */
class StaleConnectionError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** The parts of a response head this reader uses. */
interface ResponseHead {
  status: number;
  headers: Map<string, string>;
  keepAlive: boolean;
}

/** One kept-alive TCP connection and its receive buffer; at most one exchange at a time. */
class Connection {
  private readonly socket: net.Socket;
  private readonly buffer: Buffer;
  private exchangeInProgress: Exchange | undefined;
  private exchanges = 0;
  private done = false;

  constructor(
    server: { host: string; port: number },
    private readonly options: DirectRangeGetOptions,
    private readonly onRelease: (connection: Connection, reusable: boolean) => void,
  ) {
    this.buffer = Buffer.allocUnsafe(options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
    this.socket = net.connect({
      host: server.host,
      port: server.port,
      onread: { buffer: this.buffer, callback: (n: number) => this.received(n) },
    });
    this.socket.setNoDelay(true);
    this.socket.setTimeout(options.timeoutMs, () => {
      if (this.exchangeInProgress) this.socket.destroy(Object.assign(new Error(`WebDAV GET got no data for ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      else this.socket.destroy();
    });
    this.socket.on('error', (err) => this.lost(err));
    this.socket.on('close', () => this.lost(new Error('the WebDAV server closed the connection')));
    this.socket.on('end', () => this.socket.destroy());
  }

  /** Sends one request; resolves once its answer's head is read. */
  exchange(head: string, range: ByteRange): Promise<DirectRangeOpen> {
    this.exchanges++;
    return new Promise<DirectRangeOpen>((resolve, reject) => {
      this.exchangeInProgress = new Exchange(this, range, this.exchanges > 1, resolve, reject);
      this.socket.setTimeout(this.options.timeoutMs);
      this.socket.write(head);
      this.resume();
    });
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (!this.done) this.socket.resume();
  }

  /** The exchange is over; the connection goes back to the pool or is closed. */
  finished(reusable: boolean): void {
    this.exchangeInProgress = undefined;
    if (this.done) return;
    if (reusable) this.socket.setTimeout(this.options.idleMs ?? DEFAULT_IDLE_MS);
    else this.done = true;
    this.onRelease(this, reusable);
  }

  destroy(): void {
    this.done = true;
    this.socket.destroy();
  }

  private received(n: number): boolean {
    const exchange = this.exchangeInProgress;
    if (!exchange) {
      // Bytes while idle: not an answer to anything of ours; this connection cannot be trusted.
      this.lost(new Error('unexpected bytes from the WebDAV server'));
      this.socket.destroy();
      return false;
    }
    const more = exchange.received(this.buffer, n);
    // An exchange that is over left the connection idle: keep reading, so that a close is noticed at once.
    if (this.exchangeInProgress !== exchange) return !this.done;
    if (!more) this.socket.pause();
    return more;
  }

  private lost(err: Error): void {
    const exchange = this.exchangeInProgress;
    this.exchangeInProgress = undefined;
    if (!this.done) {
      this.done = true;
      this.onRelease(this, false);
    }
    exchange?.lost(err);
  }
}

/** One request and its answer on a connection. */
class Exchange {
  private head: Buffer | undefined = Buffer.alloc(0);
  private receivedAny = false;
  private remaining = 0;
  private pending: Buffer | undefined;
  private sink: ByteSink | undefined;
  private paused = true;
  private reusable = false;
  private failure: Error | undefined;
  private over = false;
  private connectionReleased = false;

  constructor(
    private readonly connection: Connection,
    private readonly range: ByteRange,
    private readonly reusedConnection: boolean,
    private readonly opened: (result: DirectRangeOpen) => void,
    private readonly failed: (err: Error) => void,
  ) {}

  /** Bytes [0, n) of `buffer` arrived; returns whether to keep reading. */
  received(buffer: Buffer, n: number): boolean {
    this.receivedAny = true;
    if (this.head) return this.receivedHead(buffer.subarray(0, n));
    return this.deliver(buffer.subarray(0, n));
  }

  /** The connection failed or closed. */
  lost(err: Error): void {
    if (this.over) return;
    if (this.head) {
      this.over = true;
      this.failed(!this.receivedAny && this.reusedConnection ? new StaleConnectionError(err) : new DependencyUnavailableException('WebDAV', err));
      return;
    }
    this.fail(new DependencyUnavailableException('WebDAV', err));
  }

  private receivedHead(bytes: Buffer): boolean {
    const all = this.head!.length === 0 ? bytes : Buffer.concat([this.head!, bytes]);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      if (all.length > MAX_HEAD_BYTES) return this.refuse();
      this.head = Buffer.from(all);
      return true;
    }
    const head = parseHead(all.toString('latin1', 0, end));
    this.head = undefined;
    const length = head && acceptedLength(head, this.range);
    if (!head || length === undefined) return this.refuse();
    this.reusable = head.keepAlive;
    this.remaining = length;
    const body = all.subarray(end + 4);
    // The receive buffer is reused for the next packet: keep the first body bytes until the sink starts.
    if (body.length > 0) this.pending = Buffer.from(body.subarray(0, Math.min(body.length, length)));
    if (body.length > length) this.reusable = false;
    // The whole body came with the head: the connection is free already.
    if (length === (this.pending?.length ?? 0)) this.release();
    this.opened({ kind: 'read', read: this.byteRead() });
    return false;
  }

  /** Not an answer this reader serves: the caller asks again through its full client. */
  private refuse(): boolean {
    this.over = true;
    this.head = undefined;
    this.opened({ kind: 'fallback' });
    this.connection.finished(false);
    return false;
  }

  private byteRead(): ByteRead {
    return {
      start: (sink) => {
        if (this.sink) throw new Error('a ByteRead starts once');
        this.sink = sink;
        this.resume();
      },
      resume: () => {
        if (this.sink && this.paused) this.resume();
      },
      cancel: () => {
        if (this.over) return;
        this.over = true;
        this.sink = undefined;
        if (this.remaining > 0) this.connection.finished(false);
      },
    };
  }

  private resume(): void {
    this.paused = false;
    if (this.failure) return this.fail(this.failure);
    if (this.pending) {
      const pending = this.pending;
      this.pending = undefined;
      if (!this.deliver(pending)) return;
    }
    if (this.remaining > 0 && !this.over) this.connection.resume();
  }

  /** Hands body bytes to the sink; returns whether to keep reading. */
  private deliver(bytes: Buffer): boolean {
    if (this.over) return false;
    const take = Math.min(bytes.length, this.remaining);
    if (bytes.length > take) this.reusable = false;
    this.remaining -= take;
    if (this.remaining === 0) this.release();
    const more = take === 0 || this.sink!.write(bytes.subarray(0, take));
    if (this.remaining === 0) {
      this.finish();
      return false;
    }
    if (this.over) return false;
    if (!more) this.paused = true;
    return more;
  }

  /** The body is complete: the connection may serve the next exchange. */
  private release(): void {
    if (this.connectionReleased) return;
    this.connectionReleased = true;
    this.connection.finished(this.reusable);
  }

  private finish(): void {
    if (this.over) return;
    this.over = true;
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
  }

  private fail(err: Error): void {
    if (this.over) return;
    if (!this.sink) {
      // Not started yet: report it when the sink arrives.
      this.failure = err;
      return;
    }
    this.over = true;
    const sink = this.sink;
    this.sink = undefined;
    sink.error(err);
  }
}

/** Status line and headers (names lower-cased); undefined when it is not an HTTP/1.x answer. */
function parseHead(text: string): ResponseHead | undefined {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]);
  if (!status) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Repeated framing headers are ambiguous: let the full client judge.
    if (headers.has(name) && (name === 'content-length' || name === 'content-range' || name === 'transfer-encoding')) return undefined;
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  const connection = (headers.get('connection') ?? '').toLowerCase().split(',').map((t) => t.trim());
  const keepAlive = status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  return { status: Number(status[2]), headers, keepAlive };
}

/** The body length of a `206` that serves exactly `asked` (its end clamped to the object), else undefined. */
function acceptedLength(head: ResponseHead, asked: ByteRange): number | undefined {
  if (head.status !== 206 || head.headers.has('transfer-encoding')) return undefined;
  const length = /^\d{1,15}$/.test(head.headers.get('content-length') ?? '') ? Number(head.headers.get('content-length')) : undefined;
  const m = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(head.headers.get('content-range') ?? '');
  if (length === undefined || !m) return undefined;
  const [start, end, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (start !== asked.start || end !== Math.min(asked.end, size - 1) || length !== end - start + 1) return undefined;
  return length;
}
