import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { RwsException } from '../common/errors/rws.exception';
import { refuseUpgradeWith, releaseSocketGuard, UpgradeRouter } from '../common/websocket/upgrade-router';
import { TrustedProxies } from '../common/http/trusted-proxies';
import { WebSocketOrigins } from '../identity/csrf/websocket-origins';
import { UnauthenticatedException } from '../identity/identity.exception';
import type { Principal } from '../identity/principal';
import { RecorderAuthenticator } from './recorder-authenticator';
import { RecorderConnection } from './recorder-connection';
import type { ProtocolErrorCode } from './recorder-protocol';
import { MAX_RECORDER_FRAME_BYTES, parseClientFrame, RECORDER_CHANNEL_PATH, RecorderCloseCode } from './recorder-protocol';
import { RecordersService } from './recorders.service';

/** Refused frames tolerated on one connection before it is closed with 1003. */
const MAX_BAD_FRAMES = 10;

/**
 * The WebSocket transport of the recorder channel (`GET /api/v2/screen-recording/connect`): authenticates the
 * upgrade request (401 before any socket exists), runs `ws` with a small frame limit, turns frames into
 * RecordersService calls and drives the heartbeat with one timer for all connections.
 */
@Injectable()
export class RecorderGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RecorderGateway');
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_RECORDER_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private unregister?: () => void;
  private heartbeatTimer?: NodeJS.Timeout;
  private nextSlice = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: RecorderAuthenticator,
    private readonly service: RecordersService,
    private readonly origins: WebSocketOrigins,
    private readonly proxies: TrustedProxies,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.unregister = UpgradeRouter.for(server).register(RECORDER_CHANNEL_PATH, (request, socket, head) => {
      void this.upgrade(request, socket, head);
    });
    const slices = this.service.recorders.sliceCount;
    this.heartbeatTimer = setInterval(() => {
      this.service.heartbeat(this.nextSlice);
      this.nextSlice = (this.nextSlice + 1) % slices;
    }, Math.max(5, Math.floor(this.service.heartbeatIntervalMs / slices)));
    this.heartbeatTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.unregister?.();
    this.service.closeAll();
    this.wss.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let principal: Principal | undefined;
    try {
      principal = await this.authenticator.authenticate(request.headers, this.proxies.clientAddressOf(request));
      // A page of another site must not replace the agent's recorder with the agent's own cookie.
      if (principal?.authMethod === 'session') this.origins.requireAllowed(request);
    } catch (err) {
      return this.refuseUpgrade(socket, err);
    }
    if (!principal) return this.refuseUpgrade(socket, new UnauthenticatedException());
    if (socket.destroyed) return;
    const authenticated = principal;
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      releaseSocketGuard(socket);
      this.attach(ws, authenticated);
    });
  }

  private attach(ws: WebSocket, principal: Principal): void {
    const connection = new RecorderConnection(ws, principal);
    this.service.connected(connection);
    ws.on('message', (data, isBinary) => this.onFrame(connection, data, isBinary));
    ws.on('pong', () => {
      connection.missedPongs = 0;
    });
    ws.on('close', () => this.service.closed(connection));
    // `ws` closes the socket itself after an error (1009 for an oversized frame, 1002 for a protocol error).
    ws.on('error', (err) => this.logger.debug({ msg: 'recorder socket error', userName: connection.agent.userName, error: err.message }));
  }

  private onFrame(connection: RecorderConnection, data: RawData, isBinary: boolean): void {
    if (connection.goneReason !== undefined) return;
    if (isBinary) return this.badFrame(connection, 'binary-frame', 'Frames must be text frames holding JSON.');
    const parsed = parseClientFrame((data as Buffer).toString('utf8'));
    if (!parsed.ok) return this.badFrame(connection, parsed.code, parsed.message);
    const message = parsed.message;
    switch (message.type) {
      case 'hello':
        return this.service.greet(connection, message);
      case 'ack':
        return this.service.acknowledge(connection, message);
      case 'status':
        return this.service.recordStatus(connection, message);
    }
  }

  private badFrame(connection: RecorderConnection, code: ProtocolErrorCode, message: string): void {
    connection.badFrames++;
    this.service.refuse(connection, code, message);
    if (connection.badFrames >= MAX_BAD_FRAMES) {
      this.logger.warn({ msg: 'recorder closed after repeated invalid frames', userName: connection.agent.userName, sessionId: connection.sessionId });
      this.service.disconnect(connection, RecorderCloseCode.UnsupportedData, 'too many invalid frames', 'abuse');
    }
  }

  private refuseUpgrade(socket: Duplex, err: unknown): void {
    if (!(err instanceof RwsException)) this.logger.error({ msg: 'recorder authentication failed', error: (err as Error)?.message ?? String(err) });
    refuseUpgradeWith(socket, err);
  }
}
