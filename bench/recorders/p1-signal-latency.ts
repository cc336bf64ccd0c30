/**
 * P1/P2 measurement for the recorder channel (performance.md): N recorders connected to a real RWS (this
 * process), the load client in a child process. Rounds fire a recording signal for many agents at once
 * (`burst`) or one by one (`paced`); latency is from the `onSignal` call to the recorder receiving its
 * command. The same rounds go through a bare `ws` server to the same number of plain sockets, in the same run,
 * as the baseline. Prints the figures and writes them to bench/results/.
 *
 *   npm run bench:recorders -- --recorders 2000
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer, WebSocket } from 'ws';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import type { Principal } from '../../src/identity/principal';
import { RecorderAuthenticator } from '../../src/recorders/recorder-authenticator';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { RecordersService } from '../../src/recorders/recorders.service';
import type { RecordingSignal } from '../../src/recorders/recording-signals';
import type { ChildMessage, ParentMessage } from './bench-ipc';

const CCID = '00000000-0000-4000-8000-00000000be1c';

/** Bench agents: `Bearer bench-<i>` is agent `agent<i>`. */
class BenchAuthenticator extends RecorderAuthenticator {
  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    const m = /^Bearer bench-(\d+)$/.exec(headers.authorization ?? '');
    return m ? { kind: 'user', userName: `agent${m[1]}`, ccid: CCID, agentId: m[1], roles: ['agent'], permissions: [], accessGroups: [] } : undefined;
  }
}

interface Stats {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (us: number) => Math.round(us) / 1000; // µs → ms with µs precision
  return { n: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]) };
}

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The child process and a way to wait for its next message. */
class LoadClient {
  private readonly child: ChildProcess;
  private waiting?: (m: ChildMessage) => void;

  constructor() {
    this.child = fork(join(__dirname, 'load-client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: ChildMessage) => {
      if (m.event === 'failed') throw new Error(`load client failed: ${m.message}`);
      const w = this.waiting;
      this.waiting = undefined;
      w?.(m);
    });
  }

  ask(message: ParentMessage, timeoutMs = 120_000): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load client did not answer ${message.cmd}`)), timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.child.send(message);
    });
  }

  next(timeoutMs = 60_000): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('load client did not report the round')), timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
  }
}

type Sender = (index: number) => void;

/** Server-side cost of one signal (µs), from the synchronous fire loops of burst rounds. */
let fireCostMicros: number[] = [];
/** Paced rounds: time spent inside the server per signal (signal to the socket write returning), µs. */
let serverSide: number[] = [];

function meanCost(): number {
  const mean = fireCostMicros.reduce((a, b) => a + b, 0) / fireCostMicros.length;
  fireCostMicros = [];
  return Math.round(mean * 10) / 10;
}

/** One round: fire for `indices` (all at once, or one per `paceMs`), wait for every arrival, return latencies. */
async function round(client: LoadClient, total: number, indices: number[], fire: Sender, paceMs?: number): Promise<number[]> {
  await client.ask({ cmd: 'expect', total, indices: indices.length });
  const firedAt = new Float64Array(total);
  const done = client.next();
  if (paceMs === undefined) {
    const t0 = nowMicros();
    for (const i of indices) {
      firedAt[i] = nowMicros();
      fire(i);
    }
    fireCostMicros.push((nowMicros() - t0) / indices.length);
  } else {
    for (const i of indices) {
      firedAt[i] = nowMicros();
      fire(i);
      serverSide.push(nowMicros() - firedAt[i]);
      await sleep(paceMs);
    }
  }
  const m = await done;
  if (m.event !== 'round') throw new Error(`unexpected ${m.event}`);
  return indices.map((i) => m.receivedAt[i] - firedAt[i]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recorders: { type: 'string', default: '2000' },
      paced: { type: 'string', default: '500' },
      'pace-ms': { type: 'string', default: '2' },
      status: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.recorders);
  const pacedCount = Math.min(n, Number(values.paced));
  const paceMs = Number(values['pace-ms']);
  const results: Record<string, unknown> = { benchmark: 'recorders-p1', recorders: n, node: process.version, at: new Date().toISOString() };
  const all = Array.from({ length: n }, (_, i) => i);
  const pacedIndices = all.slice(0, pacedCount);

  // ---- RWS ----
  const config = loadConfig({
    PORT: '0',
    RWS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rws-bench-')),
    RWS_OPS_USERNAME: 'ops',
    RWS_OPS_PASSWORD: 'bench-password',
    RWS_LOG_LEVEL: 'error',
  });
  const app = await createApp(config, { logger: false, ports: { recorders: { authenticator: BenchAuthenticator } } });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const service = app.get(RecordersService);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  const rwsClient = new LoadClient();
  const connected = await rwsClient.ask({ cmd: 'connect', mode: 'rws', url: `ws://127.0.0.1:${port}${RECORDER_CHANNEL_PATH}`, count: n, status: values.status! });
  if (connected.event !== 'connected') throw new Error('connect failed');
  await sleep(500);
  global.gc?.();
  const rssConnected = process.memoryUsage().rss;
  results.connectMs = connected.ms;
  results.serverRssMiB = { beforeConnections: mib(rssBefore), withRecordersIdle: mib(rssConnected), perRecorderKiB: Math.round((rssConnected - rssBefore) / n / 102.4) / 10 };

  const calls = all.map((i) => `BENCHCALL${String(i).padStart(23, '0')}`);
  const signal = (type: RecordingSignal['type']) => (i: number) =>
    service.onSignal({ type, agent: { ccid: CCID, userName: `agent${i}`, agentId: String(i) }, callUuid: calls[i], connId: `c${i}`, at: new Date().toISOString() });
  const settle = async () => {
    // wait for acks so the next round is not measured against leftover resends
    for (let t = 0; t < 200; t++) {
      let pending = 0;
      for (const i of all) if (service.recorderOf({ ccid: CCID, userName: `agent${i}` })?.pendingCommand) pending++;
      if (pending === 0) return;
      await sleep(10);
    }
  };

  const rws: Record<string, Stats> = {};
  const rwsAll: number[] = [];
  for (const action of ['started', 'paused', 'resumed', 'stopped'] as const) {
    const latencies = await round(rwsClient, n, all, signal(action));
    rws[`burst-${action}`] = stats(latencies);
    rwsAll.push(...latencies);
    await settle();
  }
  await round(rwsClient, n, pacedIndices, signal('started'));
  await settle();
  const pacedRws = await round(rwsClient, n, pacedIndices, signal('paused'), paceMs);
  rws[`paced-paused`] = stats(pacedRws);
  rws['paced-paused-server-part'] = stats(serverSide);
  serverSide = [];
  await settle();
  await round(rwsClient, n, pacedIndices, signal('stopped'));
  rws['burst-all'] = stats(rwsAll);
  const rwsCost = meanCost();
  global.gc?.();
  results.serverRssMiB = { ...(results.serverRssMiB as object), afterRounds: mib(process.memoryUsage().rss) };
  results.rws = rws;
  await rwsClient.ask({ cmd: 'close' });
  await app.close();

  // ---- bare ws baseline: the same number of sockets, the same message shape, the same rounds ----
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const bareSockets: WebSocket[] = [];
  wss.on('connection', (ws, req) => {
    bareSockets[Number(new URL(req.url ?? '/', 'http://bench').searchParams.get('i'))] = ws;
  });
  const bareClient = new LoadClient();
  await bareClient.ask({ cmd: 'connect', mode: 'bare', url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, count: n, status: false });
  const send = (action: string) => (i: number) =>
    bareSockets[i].send(JSON.stringify({ type: 'command', commandId: randomUUID(), action, recordingId: randomUUID(), callUuid: calls[i], connId: `c${i}`, at: new Date().toISOString() }));
  const bare: Record<string, Stats> = {};
  const bareAll: number[] = [];
  for (const action of ['start', 'pause', 'resume', 'stop']) {
    const latencies = await round(bareClient, n, all, send(action));
    bare[`burst-${action}`] = stats(latencies);
    bareAll.push(...latencies);
  }
  bare['paced-pause'] = stats(await round(bareClient, n, pacedIndices, send('pause'), paceMs));
  bare['burst-all'] = stats(bareAll);
  const bareCost = meanCost();
  results.bareWs = bare;
  await bareClient.ask({ cmd: 'close' });
  wss.close();

  results.serverMicrosPerSignal = { rws: rwsCost, bareWsSend: bareCost };
  results.ratioP99 = {
    burst: Math.round((rws['burst-all'].p99 / bare['burst-all'].p99) * 100) / 100,
    paced: Math.round((rws['paced-paused'].p99 / bare['paced-pause'].p99) * 100) / 100,
  };

  const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `recorders-p1-${n}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${file}\n`);
  process.exit(0);
}

main().catch((err: Error) => {
  process.stderr.write(`benchmark failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
