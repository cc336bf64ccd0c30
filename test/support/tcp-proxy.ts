import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay on a loopback port in front of a real server, to simulate an outage of that server without
 * stopping it: `cut()` closes the listener and destroys every relayed connection (the client sees the
 * connections drop and new ones refused), `restore()` listens again on the same port. `latencyMs` makes the
 * network slow instead.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;
  /** Added to every chunk relayed, in each direction (a slow network; order is kept). 0 = piped directly. */
  latencyMs = 0;

  private constructor(
    private targetHost: string,
    private targetPort: number,
  ) {}

  /** Starts relaying 127.0.0.1:<free port> → target. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port);
    await proxy.restore();
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  /** `127.0.0.1:<port>`, for a contact-point setting. */
  get address(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  /** Listens (again) on the same port as before, or a free one the first time. */
  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.listenPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** The outage: no new connections, and every open one dropped at once. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** A load balancer sending the client elsewhere: open connections drop, new ones go to `target`. */
  switchTo(target: { host: string; port: number }): void {
    this.targetHost = target.host;
    this.targetPort = target.port;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private relay(client: Socket): void {
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  /** Relays `from` → `to`, each chunk held `latencyMs` when set (equal delays fire in order). */
  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.latencyMs <= 0) {
        if (!to.destroyed) to.write(chunk);
        return;
      }
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, this.latencyMs);
    });
  }
}
