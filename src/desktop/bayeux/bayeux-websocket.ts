import { Logger } from '@nestjs/common';
import { WebSocket, type RawData } from 'ws';
import { asBayeuxBatch, BayeuxMessage } from './bayeux-protocol';
import type { BayeuxServer } from './bayeux-server';
import type { BayeuxOwner, BayeuxSink } from './bayeux-session';

/** Parses a WebSocket frame as a Bayeux batch; undefined when it is not one (binary, not JSON, not Bayeux). */
export function bayeuxFrame(data: RawData, isBinary: boolean): BayeuxMessage[] | undefined {
  if (isBinary) return undefined;
  try {
    return asBayeuxBatch(JSON.parse(data.toString()));
  } catch {
    return undefined;
  }
}

/**
 * The WebSocket transport of the Bayeux server: one authenticated socket whose owner was established at the
 * upgrade. Each message is answered on the socket as soon as its answer is ready (a held `/meta/connect`
 * later), and messages for the socket's sessions are pushed as they happen.
 */
export class BayeuxWebSocketConnection {
  private readonly logger = new Logger('Bayeux');
  private readonly sink: BayeuxSink = (messages) => {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(messages));
  };

  constructor(
    private readonly ws: WebSocket,
    private readonly server: BayeuxServer,
    private readonly owner: BayeuxOwner,
  ) {
    ws.on('message', (data, isBinary) => {
      const batch = bayeuxFrame(data, isBinary);
      if (!batch) return ws.close(1007, 'not a Bayeux message');
      this.receive(batch);
    });
    ws.on('close', () => this.server.socketClosed(this.sink));
  }

  /** Handles a batch (the socket's first frame comes from the gateway, which told Bayeux from plain subscribers). */
  receive(batch: BayeuxMessage[]): void {
    for (const message of batch) {
      this.server
        .handle(message, { owner: this.owner, transport: 'websocket', sink: this.sink })
        .then((answer) => this.sink([answer]))
        .catch((err: unknown) => this.logger.error({ msg: 'bayeux message failed', channel: message.channel, error: (err as Error)?.message }));
    }
  }
}
