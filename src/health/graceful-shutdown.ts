import { INestApplication, Logger } from '@nestjs/common';
import type { Server, ServerResponse } from 'node:http';
import { NodeDrain } from './node-drain';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
const IDLE_SWEEP_MS = 100;

/**
 * Stops the node in an order a load balancer can follow: first drain (/health/live 503 for `drainSeconds`,
 * everything else still served), then Nest's close (WebSockets, HTTP server — which waits for requests in
 * flight — then the stores), then exit 0. Nest's own enableShutdownHooks would close the WebSockets and the
 * workers at once, while the balancer still sends requests here. A second signal during the drain is ignored.
 */
export function closeGracefullyOnSignals(app: INestApplication, drainSeconds: number): void {
  let closing = false;
  const drain = app.get(NodeDrain);
  // While draining, every answer closes its connection: the balancer and clients open their next one to
  // another node, and the HTTP server's close does not wait out the keep-alive timeout of connections that
  // were busy when it began (it closes only the idle ones).
  app.use((_req: unknown, res: ServerResponse, next: () => void) => {
    if (drain.draining) res.setHeader('Connection', 'close');
    next();
  });
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const logger = new Logger('Shutdown');
    if (drainSeconds > 0) logger.log({ msg: 'draining before shutdown', signal, drainSeconds });
    void drain
      .drain(drainSeconds)
      .then(() => app.close())
      .then(
        // process.exit (instead of re-raising the signal): the 'exit' event fires, so main.ts can say that
        // the service stopped, and a container sees exit code 0 for an orderly stop.
        () => process.exit(0),
        (err: Error) => {
          logger.error({ msg: 'error during shutdown', error: err.message });
          process.exit(1);
        },
      );
  };
  // Node's server.close closes the connections idle at that moment only; one busy then would stay open for the
  // whole keep-alive timeout after its answer. Once the server stops listening, closing the idle ones again and
  // again ends each as soon as its answer is out.
  const server = app.getHttpServer() as Server;
  let sweeper: NodeJS.Timeout | undefined;
  drain.onClosing(() => {
    sweeper = setInterval(() => {
      if (!server.listening) server.closeIdleConnections();
    }, IDLE_SWEEP_MS);
    sweeper.unref();
  });
  drain.onClosed(() => clearInterval(sweeper));
  for (const signal of SIGNALS) process.once(signal, close);
  // An application closed otherwise (tests, benchmarks) lets go of the listeners, and of itself with them.
  drain.onClosed(() => SIGNALS.forEach((signal) => process.removeListener(signal, close)));
}
