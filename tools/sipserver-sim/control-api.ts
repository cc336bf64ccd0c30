import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { runCommand } from './sim-commands';
import type { SimCluster } from './sim-cluster';
import { checkScenario, runScenario } from './scenario-runner';
import { SimError } from './sim-types';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The simulator's HTTP control surface (JSON in, JSON out):
 *   GET  /state                  everything the simulator holds
 *   POST /commands/{name}        run one command (body = its arguments)
 *   POST /scenario               run a scenario ({steps:[…]}) and return each step's result
 */
export class ControlApi {
  private server: Server | undefined;

  constructor(private readonly sim: SimCluster) {}

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => send(res, 500, { error: (err as Error).message }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/state') return send(res, 200, this.sim.state());
      if (req.method !== 'POST') return send(res, 404, { error: 'use GET /state, POST /commands/{name} or POST /scenario' });
      const body = await readJson(req);
      if (path === '/scenario') return send(res, 200, { steps: await runScenario(this.sim, checkScenario(body)) });
      const match = /^\/commands\/([a-z-]+)$/.exec(path);
      if (!match) return send(res, 404, { error: `no route ${path}` });
      return send(res, 200, (await runCommand(this.sim, match[1], body as Record<string, unknown>)) ?? { ok: true });
    } catch (err) {
      const status = err instanceof SimError ? err.status : 500;
      return send(res, status, { error: (err as Error).message });
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SimError('body too large', 413);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SimError('body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body ?? { ok: true });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
