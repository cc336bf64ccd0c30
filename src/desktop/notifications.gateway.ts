import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { refuseUpgradeWith, releaseSocketGuard, UpgradeRouter } from '../common/websocket/upgrade-router';
import { TrustedProxies } from '../common/http/trusted-proxies';
import { Authenticator } from '../identity/authentication/authenticator';
import { WebSocketOrigins } from '../identity/csrf/websocket-origins';
import { agentKeyOf } from '../recorders/recording-signals';
import { toGwsNotification } from '../telephony/gws-notification';
import { RecordingEventsPort } from '../telephony/recording-events';

export const NOTIFICATIONS_PATH = '/api/v2/notifications';
const PING_INTERVAL_MS = 30_000;

/**
 * Desktop notifications (api.md §4): a WebSocket per desktop carrying GWS-shaped call messages on the
 * `/v2/me/calls` channel for the calls on the agent's session DNs. Server → client only.
 */
@Injectable()
export class NotificationsGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  /** Open sockets per agent key (a desktop may have several tabs). */
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private unregister?: () => void;
  private unsubscribe?: () => void;
  private pingTimer?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: Authenticator,
    private readonly events: RecordingEventsPort,
    private readonly origins: WebSocketOrigins,
    private readonly proxies: TrustedProxies,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.unregister = UpgradeRouter.for(server).register(NOTIFICATIONS_PATH, (request, socket, head) => void this.upgrade(request, socket, head));
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.kind !== 'call') return;
      const frame = JSON.stringify(toGwsNotification(event));
      for (const key of event.agentKeys) for (const ws of this.sockets.get(key) ?? []) ws.send(frame);
    });
    this.pingTimer = setInterval(() => this.pingAll(), PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pingTimer);
    this.unsubscribe?.();
    this.unregister?.();
    for (const set of this.sockets.values()) for (const ws of set) ws.terminate();
    this.wss.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let key: string;
    try {
      const { principal, method } = await this.authenticator.authenticate({ headers: request.headers, ip: this.proxies.clientAddressOf(request) });
      // Call notifications carry customer numbers: a page of another site must not read them with the agent's cookie.
      if (method === 'session') this.origins.requireAllowed(request);
      key = agentKeyOf(principal);
    } catch (err) {
      return refuseUpgradeWith(socket, err);
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      releaseSocketGuard(socket);
      this.attach(key, ws);
    });
  }

  private attach(key: string, ws: WebSocket): void {
    let set = this.sockets.get(key);
    if (!set) this.sockets.set(key, (set = new Set()));
    set.add(ws);
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    ws.on('message', () => ws.close(1003, 'this channel is server to client only'));
    ws.on('error', (err) => this.logger.debug({ msg: 'notification socket error', error: err.message }));
    ws.on('close', () => {
      set.delete(ws);
      if (set.size === 0) this.sockets.delete(key);
    });
  }

  private pingAll(): void {
    for (const set of this.sockets.values()) {
      for (const ws of set) {
        const tracked = ws as WebSocket & { alive?: boolean };
        if (!tracked.alive) {
          ws.terminate();
          continue;
        }
        tracked.alive = false;
        ws.ping();
      }
    }
  }
}
