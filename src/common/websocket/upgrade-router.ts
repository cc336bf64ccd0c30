import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_RENDERING, ErrorCode, INTERNAL_ERROR_MESSAGE } from '../errors/error-code';
import { RwsException } from '../errors/rws.exception';

/** Handles one WebSocket upgrade request (authenticate, then `handleUpgrade` or `rejectUpgrade`). */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * One `upgrade` listener per HTTP server that routes WebSocket upgrades by path, so several channels
 * (recorders, desktop notifications) share the server without each one refusing the others' paths — which
 * is what separate `ws` servers (or Nest's WsAdapter, which destroys sockets of paths it does not know) do.
 * An upgrade for a path nobody registered is answered 404.
 */
export class UpgradeRouter {
  private static readonly routers = new WeakMap<Server, UpgradeRouter>();
  private readonly routes = new Map<string, UpgradeHandler>();
  private readonly listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.dispatch(request, socket, head);

  private constructor(private readonly server: Server) {
    server.on('upgrade', this.listener);
  }

  /** The router of an HTTP server (created on first use). */
  static for(server: Server): UpgradeRouter {
    let router = UpgradeRouter.routers.get(server);
    if (!router) {
      router = new UpgradeRouter(server);
      UpgradeRouter.routers.set(server, router);
    }
    return router;
  }

  /** Routes upgrades of `path` (exact pathname, query ignored) to `handler`; returns the unregister function. */
  register(path: string, handler: UpgradeHandler): () => void {
    if (this.routes.has(path)) throw new Error(`an upgrade handler for ${path} is already registered`);
    this.routes.set(path, handler);
    return () => {
      this.routes.delete(path);
      if (this.routes.size === 0) {
        this.server.removeListener('upgrade', this.listener);
        UpgradeRouter.routers.delete(this.server);
      }
    };
  }

  private dispatch(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A peer that resets during an asynchronous handler must not crash the process.
    socket.on('error', destroyQuietly);
    const handler = this.routes.get(pathnameOf(request.url));
    if (handler) {
      handler(request, socket, head);
      return;
    }
    rejectUpgrade(socket, 404, { statusCode: 6, statusMessage: `Resource [GET ${pathnameOf(request.url)}] cannot be found.` });
  }
}

/** Answers an upgrade request with a plain HTTP error (JSON envelope body) and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, body: object, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const json = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(json)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${json}`);
}

/** Removes the router's guard listener once a WebSocket library owns the socket's errors. */
export function releaseSocketGuard(socket: Duplex): void {
  socket.removeListener('error', destroyQuietly);
}

function destroyQuietly(this: Duplex): void {
  this.destroy();
}

function pathnameOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}

/**
 * Answers a refused upgrade the way the HTTP API answers the same error: status and RWS envelope from an
 * RwsException (401 with its challenge, 503 with Retry-After…), a fixed 500 for anything else.
 */
export function refuseUpgradeWith(socket: Duplex, err: unknown): void {
  if (err instanceof RwsException) {
    const rendering = ERROR_RENDERING[err.code];
    const message = err.code === ErrorCode.Internal ? INTERNAL_ERROR_MESSAGE : err.message;
    const headers = { ...(err.options.headers ?? {}) };
    if (err.options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(err.options.retryAfterSeconds);
    return rejectUpgrade(socket, rendering.httpStatus, { statusCode: rendering.statusCode, statusMessage: message }, headers);
  }
  const rendering = ERROR_RENDERING[ErrorCode.Internal];
  rejectUpgrade(socket, rendering.httpStatus, { statusCode: rendering.statusCode, statusMessage: INTERNAL_ERROR_MESSAGE });
}
