import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { refuseUpgradeWith, releaseSocketGuard, UpgradeRouter } from '../common/websocket/upgrade-router';
import { TrustedProxies } from '../common/http/trusted-proxies';
import { Authenticator } from '../identity/authentication/authenticator';
import { WebSocketOrigins } from '../identity/csrf/websocket-origins';
import type { Principal } from '../identity/principal';
import { agentKeyOf } from '../recorders/recording-signals';
import { toGwsNotification } from '../telephony/gws-notification';
import { RecordingEventsPort } from '../telephony/recording-events';
import { BayeuxServer } from './bayeux/bayeux-server';
import { bayeuxFrame, BayeuxWebSocketConnection } from './bayeux/bayeux-websocket';
import { toGwsDeviceNotification } from './gws-device-notification';
import { NotificationsRouting } from './notifications-routing';

export const NOTIFICATIONS_PATH = '/api/v2/notifications';
const PING_INTERVAL_MS = 30_000;
/** Bayeux batches are larger than anything a plain subscriber sends (which is nothing). */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Desktop notifications (api.md §4) at one WebSocket path, for two kinds of client told apart by their
 * first frame: a plain subscriber never sends one and gets GWS-shaped call messages as bare frames; a CometD
 * client's first frame is a Bayeux handshake, and the socket is handed to the Bayeux server (compat.md §5).
 * Both only get messages of the agent they authenticated as at the upgrade.
 */
@Injectable()
export class NotificationsGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  /** Open sockets per agent key (a desktop may have several tabs). */
  private readonly sockets = new Map<string, Set<WebSocket>>();
  /** Sockets that turned out to be CometD clients (the Bayeux server owns their sessions). */
  private readonly bayeuxSockets = new Set<WebSocket>();
  private unregister?: () => void;
  private unsubscribe?: () => void;
  private pingTimer?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: Authenticator,
    private readonly events: RecordingEventsPort,
    private readonly bayeux: BayeuxServer,
    private readonly origins: WebSocketOrigins,
    private readonly proxies: TrustedProxies,
    private readonly routing: NotificationsRouting,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.unregister = UpgradeRouter.for(server).register(NOTIFICATIONS_PATH, (request, socket, head) => void this.upgrade(request, socket, head));
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.kind === 'agent') {
        const { channel, data } = toGwsDeviceNotification(event);
        for (const key of event.agentKeys) this.bayeux.publish(key, channel, data);
        return;
      }
      if (event.kind !== 'call') return;
      const notification = toGwsNotification(event);
      const frame = JSON.stringify(notification);
      for (const key of event.agentKeys) {
        for (const ws of this.sockets.get(key) ?? []) ws.send(frame);
        this.bayeux.publish(key, notification.channel, notification.data);
      }
    });
    this.pingTimer = setInterval(() => this.pingAll(), PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pingTimer);
    this.unsubscribe?.();
    this.unregister?.();
    for (const set of this.sockets.values()) for (const ws of set) ws.terminate();
    for (const ws of this.bayeuxSockets) ws.terminate();
    this.wss.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let principal: Principal;
    try {
      const authentication = await this.authenticator.authenticate({ headers: request.headers, ip: this.proxies.clientAddressOf(request) });
      // Call notifications carry customer numbers: a page of another site must not read them with the agent's cookie.
      if (authentication.method === 'session') this.origins.requireAllowed(request);
      principal = authentication.principal;
      // On a cluster the agent's events enter at its home node: the socket is served there.
      if (principal.kind === 'user' && principal.ccid && (await this.routing.handedOver(request, socket, head, agentKeyOf(principal)))) return;
    } catch (err) {
      return refuseUpgradeWith(socket, err);
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      releaseSocketGuard(socket);
      this.attach(principal, ws);
    });
  }

  private attach(principal: Principal, ws: WebSocket): void {
    const key = agentKeyOf(principal);
    let set = this.sockets.get(key);
    if (!set) this.sockets.set(key, (set = new Set()));
    set.add(ws);
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    ws.once('message', (data: RawData, isBinary: boolean) => {
      const batch = bayeuxFrame(data, isBinary);
      if (!batch) return ws.close(1003, 'this channel is server to client only');
      // A CometD client: from now on the socket speaks Bayeux and leaves the plain subscribers.
      this.leave(key, set, ws);
      this.bayeuxSockets.add(ws);
      ws.once('close', () => this.bayeuxSockets.delete(ws));
      new BayeuxWebSocketConnection(ws, this.bayeux, { agentKey: key, userName: principal.userName }).receive(batch);
    });
    ws.on('error', (err) => this.logger.debug({ msg: 'notification socket error', error: err.message }));
    ws.on('close', () => this.leave(key, set, ws));
  }

  private leave(key: string, set: Set<WebSocket>, ws: WebSocket): void {
    set.delete(ws);
    if (set.size === 0 && this.sockets.get(key) === set) this.sockets.delete(key);
  }

  private pingAll(): void {
    for (const set of [...this.sockets.values(), this.bayeuxSockets]) {
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
