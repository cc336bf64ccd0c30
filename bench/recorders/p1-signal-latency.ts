/**
 * P1/P2 measurement for the recorder channel (performance.md): N recorders connected to a real RWS (this
 * process), the load client in a child process. Rounds fire a recording signal for many agents at once
 * (`burst`) or one by one (`paced`); latency is from the `onSignal` call to the recorder receiving its
 * command. The same rounds go, in the same run and interleaved, through two baselines: a bare `ws` server
 * broadcasting the same-shaped messages to the same number of plain sockets, and the same with each socket
 * answering an ack frame (the return traffic at-least-once delivery implies). Each baseline server runs in
 * its own process (bench/recorders/baseline-server.ts), so that no process holds more than N sockets.
 * Prints the figures and writes them to bench/results/. All load clients share one process each: in a
 * burst, latency mostly measures how fast that one process drains N messages, which is why the ack
 * baseline is reported too.
 *
 *   npm run bench:recorders -- --recorders 2000                 (P1: latency, with baselines)
 *   npm run bench:recorders -- --recorders 10000 --idle-only    (P2: idle recorders, RSS and heartbeat CPU)
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { resultsDir } from '../lib/report';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/bootstrap';
import { sipServersFor } from '../../tools/sipserver-sim/embedded-simulator';
import { loadConfig } from '../../src/config/app-config';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { RecordersService } from '../../src/recorders/recorders.service';
import type { RecordingSignal } from '../../src/recorders/recording-signals';
import { BENCH_CCID as CCID, BenchAuthenticator } from './bench-authenticator';
import type { BaselineCommand, BaselineEvent, ChildMessage, ParentMessage } from './bench-ipc';

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

/** A child process of the bench and a way to wait for its next message. */
class BenchChild<Command extends object, Event extends { event: string }> {
  private readonly child: ChildProcess;
  private waiting?: (m: Event) => void;

  constructor(script: string) {
    this.child = fork(join(__dirname, script), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: Event) => {
      if (m.event === 'failed') throw new Error(`${script} failed: ${(m as { message?: string }).message}`);
      const w = this.waiting;
      this.waiting = undefined;
      w?.(m);
    });
  }

  ask(message: Command, timeoutMs = 120_000): Promise<Event> {
    const answer = this.next(timeoutMs);
    this.child.send(message);
    return answer;
  }

  next(timeoutMs = 60_000): Promise<Event> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench child did not answer in time')), timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
  }
}

/** N recorders (reference client or plain sockets) timing what they receive. */
class LoadClient extends BenchChild<ParentMessage, ChildMessage> {
  constructor() {
    super('load-client.js');
  }
}

/** Sends the signal of each index (all at once, or one per paceMs); says when each went out (µs) and, for a burst, the CPU per signal. */
type Firer = (total: number, indices: number[], paceMs?: number) => Promise<{ firedAt: ArrayLike<number>; cpuMicrosPerSignal?: number }>;

/** Server-side CPU time (user + system) of one signal (µs), from the synchronous fire loops of burst rounds. */
let fireCostMicros: number[] = [];

function meanCost(): number {
  const mean = fireCostMicros.reduce((a, b) => a + b, 0) / fireCostMicros.length;
  fireCostMicros = [];
  return Math.round(mean * 10) / 10;
}

/** Fires through RWS in this process: `send(i)` is RWS's own entry point for a telephony signal. */
function localFirer(send: (index: number) => void): Firer {
  return async (total, indices, paceMs) => {
    const firedAt = new Float64Array(total);
    if (paceMs !== undefined) {
      for (const i of indices) {
        firedAt[i] = nowMicros();
        send(i);
        await sleep(paceMs);
      }
      return { firedAt };
    }
    const cpu = process.cpuUsage();
    for (const i of indices) {
      firedAt[i] = nowMicros();
      send(i);
    }
    const used = process.cpuUsage(cpu);
    return { firedAt, cpuMicrosPerSignal: (used.user + used.system) / indices.length };
  };
}

/** One round: fire for `indices`, wait for every arrival, return latencies. */
async function round(client: LoadClient, total: number, indices: number[], fire: Firer, paceMs?: number): Promise<number[]> {
  await client.ask({ cmd: 'expect', total, indices: indices.length });
  const done = client.next();
  const { firedAt, cpuMicrosPerSignal } = await fire(total, indices, paceMs);
  if (cpuMicrosPerSignal !== undefined) fireCostMicros.push(cpuMicrosPerSignal);
  const m = await done;
  if (m.event !== 'round') throw new Error(`unexpected ${m.event}`);
  return indices.map((i) => m.receivedAt[i] - firedAt[i]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recorders: { type: 'string', default: '2000' },
      paced: { type: 'string', default: '1000' },
      'pace-ms': { type: 'string', default: '1' },
      repeat: { type: 'string', default: '3' },
      status: { type: 'boolean', default: false },
      'idle-only': { type: 'boolean', default: false },
      'idle-seconds': { type: 'string', default: '35' },
      'heartbeat-ms': { type: 'string', default: '30000' },
    },
  });
  const n = Number(values.recorders);
  const pacedIndices = Array.from({ length: Math.min(n, Number(values.paced)) }, (_, i) => i);
  const paceMs = Number(values['pace-ms']);
  const repeat = Number(values.repeat);
  const all = Array.from({ length: n }, (_, i) => i);
  const calls = all.map((i) => `BENCHCALL${String(i).padStart(23, '0')}`);
  const results: Record<string, unknown> = {
    benchmark: 'recorders-p1',
    recorders: n,
    repeat,
    pacedSignals: pacedIndices.length,
    paceMs,
    recorderStatusMessages: values.status,
    node: process.version,
    at: new Date().toISOString(),
  };

  // ---- RWS with N reference recorders (load client process 1) ----
  const config = loadConfig({
    PORT: '0',
    RWS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rws-bench-')),
    RWS_OPS_USERNAME: 'ops',
    RWS_OPS_PASSWORD: 'bench-password',
    RWS_LOG_LEVEL: 'error',
    RWS_RECORDER_HEARTBEAT_MS: values['heartbeat-ms']!,
  });
  const app = await createApp(config, { logger: false, ports: { recorders: { authenticator: BenchAuthenticator }, sipServers: sipServersFor(config) } });
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

  if (values['idle-only']) {
    // P2: N idle recorders; CPU over more than one heartbeat period shows what keeping them costs
    const seconds = Number(values['idle-seconds']);
    const cpuBefore = process.cpuUsage();
    await sleep(seconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    global.gc?.();
    results.benchmark = 'recorders-p2';
    results.idle = {
      seconds,
      heartbeatIntervalMs: Number(values['heartbeat-ms']),
      stillConnected: service.recorders.recorderCount,
      serverCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 1000) / 10,
      rssMiB: mib(process.memoryUsage().rss),
      heapUsedMiB: mib(process.memoryUsage().heapUsed),
    };
    await rwsClient.ask({ cmd: 'close' });
    await app.close();
    return finish(results, `recorders-p2-${n}.json`);
  }

  const signal = (type: RecordingSignal['type']) =>
    localFirer((i) => service.onSignal({ type, agent: { ccid: CCID, userName: `agent${i}`, agentId: String(i) }, callUuid: calls[i], connId: `c${i}`, at: new Date().toISOString() }));
  const settle = async () => {
    // wait for the acks, so that no resend or ack processing overlaps the next round
    for (let t = 0; t < 500 && service.pendingCommands() > 0; t++) await sleep(10);
    await sleep(50); // and for the baselines' return traffic to drain
  };

  // ---- bare ws baselines: the same number of sockets and message shape (servers and load clients in processes of their own) ----
  const bare = await startBaseline('bare', n);
  const bareAck = await startBaseline('bare-ack', n);
  const send = (server: BaselineServer, action: string): Firer => async (total, indices, paceMs) => {
    const fired = await server.ask({ cmd: 'fire', total, indices, action, paceMs }, 600_000);
    if (fired.event !== 'fired') throw new Error(`baseline server answered ${fired.event}`);
    return { firedAt: fired.firedAt, cpuMicrosPerSignal: paceMs === undefined ? fired.cpuMicrosPerSignal : undefined };
  };

  // ---- rounds, RWS and baselines side by side ----
  const modes = ['rws', 'bareWs', 'bareWsWithAck'] as const;
  type Mode = (typeof modes)[number];
  const burst: Record<Mode, number[]> = { rws: [], bareWs: [], bareWsWithAck: [] };
  const paced: Record<Mode, number[]> = { rws: [], bareWs: [], bareWsWithAck: [] };
  const burstP99: Record<Mode, number[]> = { rws: [], bareWs: [], bareWsWithAck: [] };
  const cost: Record<Mode, number[]> = { rws: [], bareWs: [], bareWsWithAck: [] };
  const actions = [['started', 'start'], ['paused', 'pause'], ['resumed', 'resume'], ['stopped', 'stop']] as const;
  const fireFor = (mode: Mode, signalType: RecordingSignal['type'], action: string): [LoadClient, Firer] =>
    mode === 'rws' ? [rwsClient, signal(signalType)] : mode === 'bareWs' ? [bare.client, send(bare.server, action)] : [bareAck.client, send(bareAck.server, action)];
  for (let r = 0; r < repeat; r++) {
    for (const [signalType, action] of actions) {
      for (const mode of modes) {
        const [client, fire] = fireFor(mode, signalType, action);
        const latencies = await round(client, n, all, fire);
        cost[mode].push(meanCost());
        burst[mode].push(...latencies);
        burstP99[mode].push(stats(latencies).p99);
        await settle();
      }
    }
    await round(rwsClient, n, pacedIndices, signal('started'));
    meanCost();
    await settle();
    for (const [signalType, action] of [actions[1], actions[2]]) {
      for (const mode of modes) {
        const [client, fire] = fireFor(mode, signalType, action);
        paced[mode].push(...(await round(client, n, pacedIndices, fire, paceMs)));
        await settle();
      }
    }
    await round(rwsClient, n, pacedIndices, signal('stopped'));
    meanCost();
    await settle();
  }
  global.gc?.();
  results.serverRssMiB = { ...(results.serverRssMiB as object), afterRounds: mib(process.memoryUsage().rss), heapUsedAfterRounds: mib(process.memoryUsage().heapUsed) };
  const burstStats = Object.fromEntries(modes.map((m) => [m, stats(burst[m])])) as Record<Mode, Stats>;
  const pacedStats = Object.fromEntries(modes.map((m) => [m, stats(paced[m])])) as Record<Mode, Stats>;
  results.latencyMs = { burst: { ...burstStats, p99PerRound: burstP99 }, paced: pacedStats };
  results.serverCpuMicrosPerSignal = Object.fromEntries(modes.map((m) => [m, median(cost[m])]));
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  results.ratioP99 = {
    burstVsBareWs: ratio(burstStats.rws.p99, burstStats.bareWs.p99),
    burstVsBareWsWithAck: ratio(burstStats.rws.p99, burstStats.bareWsWithAck.p99),
    pacedVsBareWs: ratio(pacedStats.rws.p99, pacedStats.bareWs.p99),
  };

  await rwsClient.ask({ cmd: 'close' });
  for (const baseline of [bare, bareAck]) {
    await baseline.client.ask({ cmd: 'close' });
    await baseline.server.ask({ cmd: 'close' });
  }
  await app.close();
  finish(results, `recorders-p1-${n}.json`);
}

function finish(results: Record<string, unknown>, name: string): void {
  const file = join(resultsDir(), name);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${file}\n`);
  process.exit(0);
}

type BaselineServer = BenchChild<BaselineCommand, BaselineEvent>;

/** A plain `ws` server (its own process) with N plain sockets connected from a load client of the given mode. */
async function startBaseline(mode: 'bare' | 'bare-ack', n: number): Promise<{ server: BaselineServer; client: LoadClient }> {
  const server: BaselineServer = new BenchChild('baseline-server.js');
  const listening = await server.next();
  if (listening.event !== 'listening') throw new Error(`baseline server: ${listening.event}`);
  const client = new LoadClient();
  await client.ask({ cmd: 'connect', mode, url: `ws://127.0.0.1:${listening.port}`, count: n, status: false });
  return { server, client };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}

main().catch((err: Error) => {
  process.stderr.write(`benchmark failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
