/**
 * A bare `ws` server for the P1 baselines, in its own process: the benchmark process holds RWS's N
 * sockets, and with each baseline's N sockets elsewhere every process stays under the descriptor limit at
 * 10,000 recorders. On `fire` it sends one command-shaped message to each listed socket (all at once, or
 * one per `paceMs`) and reports when it sent each one (process.hrtime: comparable across the processes of
 * one machine) and, for a burst, its CPU time per message. It reads what comes back, as RWS reads acks.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { BaselineCommand, BaselineEvent } from './bench-ipc';

const sockets: WebSocket[] = [];
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 });
server.on('connection', (ws, req) => {
  sockets[Number(new URL(req.url ?? '/', 'http://bench').searchParams.get('i'))] = ws;
  ws.on('message', (data) => JSON.parse(data.toString()));
});
server.once('listening', () => reply({ event: 'listening', port: (server.address() as AddressInfo).port }));

function reply(message: BaselineEvent): void {
  process.send!(message);
}

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The message RWS would send for recorder `i` (same fields and sizes). */
function command(i: number, action: string): string {
  return JSON.stringify({ type: 'command', commandId: randomUUID(), action, recordingId: randomUUID(), callUuid: `BENCHCALL${String(i).padStart(23, '0')}`, connId: `c${i}`, at: new Date().toISOString() });
}

async function fire(message: Extract<BaselineCommand, { cmd: 'fire' }>): Promise<void> {
  const firedAt = new Array<number>(message.total).fill(0);
  const cpu = process.cpuUsage();
  for (const i of message.indices) {
    firedAt[i] = nowMicros();
    sockets[i].send(command(i, message.action));
    if (message.paceMs !== undefined) await sleep(message.paceMs);
  }
  const used = process.cpuUsage(cpu);
  reply({ event: 'fired', firedAt, cpuMicrosPerSignal: (used.user + used.system) / message.indices.length });
}

process.on('message', (message: BaselineCommand) => {
  void (async () => {
    if (message.cmd === 'fire') return fire(message);
    for (const ws of sockets) ws?.terminate();
    server.close();
    reply({ event: 'closed' });
    process.exit(0);
  })().catch((err: Error) => {
    reply({ event: 'failed', message: err.message });
    process.exit(1);
  });
});
