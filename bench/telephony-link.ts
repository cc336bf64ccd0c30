import { Logger } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resultsDir } from './lib/report';
import { connect } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InProcessRecordingEvents, RecordingEvent } from '../src/telephony/recording-events';
import { SipServerEventSource } from '../src/telephony/sip-server-event-source';

/**
 * Telephony link benchmark (performance.md P1, telephony half):
 *  1. throughput: recording changes one link turns into domain events per second, against a plain
 *     split + JSON.parse of the same stream in the same run (the floor);
 *  2. latency: simulator emit → domain event (p50/p99), the simulator in its own process toggling
 *     recordings at a fixed rate, against a bare TCP JSON line stream at the same rate.
 * Run: npm run bench:telephony [-- --smoke]. Prints the figures and writes bench/results/telephony-link.json.
 */

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    calls: { type: 'string' },
    events: { type: 'string' },
    rates: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const smoke = values.smoke;
const CALLS = Number(values.calls ?? (smoke ? 100 : 1000));
const EVENTS = Number(values.events ?? (smoke ? 20_000 : 300_000));
const RATES = (values.rates ?? (smoke ? '500' : '1000,5000')).split(',').map(Number);
const SECONDS = Number(values.seconds ?? (smoke ? 2 : 5));
const ROUNDS = Number(values.rounds ?? (smoke ? 1 : 3));
const AGENTS = smoke ? 50 : 200;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const children: ChildProcess[] = [];

function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Starts a compiled helper as its own process; resolves with its first stdout line (JSON). */
async function child(script: string, args: string[]): Promise<Record<string, unknown>> {
  const proc = spawn(process.execPath, [join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  return new Promise((resolve, reject) => {
    let buffered = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function stop(proc: ChildProcess): void {
  if (proc.pid !== undefined && proc.exitCode === null) proc.kill('SIGTERM');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function round(n: number, digits = 3): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** The floor: split lines and JSON.parse them, nothing else. */
async function parseFloor(): Promise<{ eventsPerSec: number }> {
  const { port } = (await child('support/tlib-blaster.js', ['--mode', 'raw', '--calls', String(CALLS), '--events', String(EVENTS)])) as { port: number };
  return new Promise((resolve) => {
    const socket = connect(port as number, '127.0.0.1');
    let count = 0;
    let rest = '';
    let started = 0;
    socket.on('data', (chunk: Buffer) => {
      if (started === 0) started = performance.now();
      const text = rest + chunk.toString('utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        JSON.parse(text.slice(start, nl));
        count++;
        start = nl + 1;
      }
      rest = text.slice(start);
      if (count === EVENTS) {
        const seconds = (performance.now() - started) / 1000;
        socket.destroy();
        resolve({ eventsPerSec: Math.round(EVENTS / seconds) });
      }
    });
  });
}

/** The link: codec, sequencing, call state, domain events. */
async function linkThroughput(): Promise<{ eventsPerSec: number; domainEvents: number; seconds: number }> {
  const { port } = (await child('support/tlib-blaster.js', ['--mode', 'stream', '--calls', String(CALLS), '--events', String(EVENTS)])) as { port: number };
  const bus = new InProcessRecordingEvents();
  let count = 0;
  let started = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  bus.subscribe((e) => {
    if (e.kind !== 'recording') return;
    if (count === 0) started = performance.now();
    if (++count === EVENTS) finished();
  });
  const source = new SipServerEventSource({ addresses: [{ host: '127.0.0.1', port }], logger: quiet }, bus);
  await source.start();
  while (!source.isUp()) await new Promise((r) => setTimeout(r, 10));
  await Promise.all(Array.from({ length: CALLS }, (_, c) => source.monitor(String(100000 + c), 'bench')));
  await done;
  const seconds = (performance.now() - started) / 1000;
  await source.stop();
  return { eventsPerSec: Math.round(EVENTS / seconds), domainEvents: count, seconds: round(seconds) };
}

function summary(latencies: number[]): { p50: number; p99: number; max: number; samples: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN), samples: sorted.length };
}

/** Bare TCP at the same rate: wall-clock age of a stamped line on arrival (transport + clock floor). */
async function bareTcpRound(port: number, rate: number): Promise<number[]> {
  const latencies: number[] = [];
  const expected = rate * SECONDS;
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let rest = '';
    socket.on('data', (chunk: Buffer) => {
      const now = wallMs();
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) latencies.push(now - (JSON.parse(line) as { t: number }).t);
      if (latencies.length >= expected) {
        socket.destroy();
        resolve();
      }
    });
  });
  return latencies;
}

/** The simulator in its own process with AGENTS recorded calls, and a link to it. */
async function simulatorRig(): Promise<{ round(rate: number): Promise<{ latencies: number[]; simulatorRate: number }>; close(): Promise<void> }> {
  const sim = (await child('../tools/sipserver-sim/main.js', ['--port', '0', '--control-port', '0', '--quiet'])) as {
    addresses: { host: string; port: number }[];
    controlUrl: string;
  };
  const command = async (op: string, body: unknown) => {
    const res = await fetch(`${sim.controlUrl}/commands/${op}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${op}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const bus = new InProcessRecordingEvents();
  let latencies: number[] = [];
  let started = 0;
  bus.subscribe((e) => {
    if (e.kind !== 'recording') return;
    const event = e as RecordingEvent;
    if (event.type === 'started') started++;
    else if (event.cause === 'indication') latencies.push(wallMs() - event.at);
  });
  const source = new SipServerEventSource({ addresses: sim.addresses, logger: quiet }, bus);
  await source.start();
  while (!source.isUp()) await new Promise((r) => setTimeout(r, 10));
  for (let a = 0; a < AGENTS; a++) {
    const dn = String(200000 + a);
    await command('dn', { number: dn, record: true });
    await source.monitor(dn, `agent${a}`);
    const call = await command('call', { from: `+1555${a}`, to: dn });
    await command('answer', { call: call.connId, dn });
  }
  while (started < AGENTS) await new Promise((r) => setTimeout(r, 10));
  return {
    async round(rate: number) {
      latencies = [];
      const load = await command('load', { count: rate * SECONDS, ratePerSec: rate });
      const deadline = Date.now() + 10_000;
      while (latencies.length < rate * SECONDS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return { latencies, simulatorRate: Math.round(load.ratePerSec as number) };
    },
    close: () => source.stop(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Rounds alternate between the bare TCP stream and the simulator at the same rate; the median round counts. */
async function latencyAt(rate: number): Promise<Record<string, unknown>> {
  const { port } = (await child('support/tlib-blaster.js', ['--mode', 'paced', '--rate', String(rate), '--seconds', String(SECONDS)])) as { port: number };
  const rig = await simulatorRig();
  const rounds: { simulatorToDomainEventMs: ReturnType<typeof summary>; bareTcpLineMs: ReturnType<typeof summary>; simulatorRate: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bare = summary(await bareTcpRound(port, rate));
    const telephony = await rig.round(rate);
    rounds.push({ simulatorToDomainEventMs: summary(telephony.latencies), bareTcpLineMs: bare, simulatorRate: telephony.simulatorRate });
  }
  await rig.close();
  children.forEach(stop);
  const p50 = median(rounds.map((r) => r.simulatorToDomainEventMs.p50));
  const p99 = median(rounds.map((r) => r.simulatorToDomainEventMs.p99));
  const bareP50 = median(rounds.map((r) => r.bareTcpLineMs.p50));
  const bareP99 = median(rounds.map((r) => r.bareTcpLineMs.p99));
  return {
    ratePerSec: rate,
    seconds: SECONDS,
    agents: AGENTS,
    medianOfRounds: { simulatorToDomainEventMs: { p50, p99 }, bareTcpLineMs: { p50: bareP50, p99: bareP99 }, p99Ratio: round(p99 / bareP99, 2) },
    rounds,
  };
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const floors: number[] = [];
  const links: { eventsPerSec: number; seconds: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    floors.push((await parseFloor()).eventsPerSec);
    links.push(await linkThroughput());
    children.forEach(stop);
  }
  const floor = { eventsPerSec: median(floors) };
  const link = { eventsPerSec: median(links.map((l) => l.eventsPerSec)), seconds: median(links.map((l) => l.seconds)) };
  const latency: Record<string, unknown>[] = [];
  for (const rate of RATES) latency.push(await latencyAt(rate));
  const result = {
    benchmark: 'telephony-link',
    at: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    loadAverage: loadavg().map((l) => round(l, 2)),
    smoke,
    throughput: {
      calls: CALLS,
      events: EVENTS,
      linkEventsPerSec: link.eventsPerSec,
      parseFloorEventsPerSec: floor.eventsPerSec,
      ratioToFloor: round(link.eventsPerSec / floor.eventsPerSec, 2),
      seconds: link.seconds,
      rounds: links.map((l, i) => ({ linkEventsPerSec: l.eventsPerSec, parseFloorEventsPerSec: floors[i] })),
    },
    latency,
  };
  process.stdout.write(`telephony link (median of ${ROUNDS}): ${link.eventsPerSec} recording changes/s through one link (${CALLS} calls, ${EVENTS} events); `);
  process.stdout.write(`split+JSON.parse floor ${floor.eventsPerSec}/s (ratio ${result.throughput.ratioToFloor})\n`);
  for (const l of latency) {
    const m = l.medianOfRounds as { simulatorToDomainEventMs: { p50: number; p99: number }; bareTcpLineMs: { p50: number; p99: number } };
    process.stdout.write(
      `  at ${l.ratePerSec}/s (median of ${ROUNDS} rounds): simulator emit → domain event p50 ${m.simulatorToDomainEventMs.p50} ms, p99 ${m.simulatorToDomainEventMs.p99} ms; ` +
        `bare TCP line p50 ${m.bareTcpLineMs.p50} ms, p99 ${m.bareTcpLineMs.p99} ms\n`,
    );
  }
  writeFileSync(join(resultsDir(), 'telephony-link.json'), JSON.stringify(result, null, 2) + '\n');
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
    process.exitCode = 1;
  })
  .finally(() => children.forEach(stop));
