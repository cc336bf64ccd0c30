/**
 * The load side of the recorder benchmark, run as a child process of p1-signal-latency: N recorders that
 * time each command they receive. `rws` mode uses the reference client (tools/recorder/recorder-client.ts:
 * hello, acks, status, reconnect logic all active); `bare` mode uses plain `ws` sockets for the baseline,
 * `bare-ack` the same sockets answering each message with an ack frame (the return traffic RWS also has).
 * Times are process.hrtime (CLOCK_MONOTONIC on Linux: comparable across processes of one machine), in µs.
 */
import WebSocket from 'ws';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import type { ParentMessage, ChildMessage } from './bench-ipc';

const CONNECT_BATCH = 100;

let received = new Float64Array(0);
let expected = 0;
let count = 0;
const clients: RecorderClient[] = [];
const sockets: WebSocket[] = [];

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function report(message: ChildMessage): void {
  process.send!(message);
}

function onCommand(index: number): void {
  if (received[index] !== 0) return; // a resend: the first arrival counts
  received[index] = nowMicros();
  if (++count === expected) report({ event: 'round', receivedAt: Array.from(received) });
}

async function connectRws(url: string, n: number, sendStatus: boolean, offset: number): Promise<void> {
  for (let start = 0; start < n; start += CONNECT_BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(n, start + CONNECT_BATCH); i++) {
      const client = new RecorderClient({
        url,
        authorization: `Bearer bench-${offset + i}`,
        hello: { clientVersion: '1.0.0', platform: 'bench', hostname: `pc-${offset + i}` },
        reconnect: false,
        sendStatus,
      });
      client.on('command', () => onCommand(i));
      clients.push(client);
      batch.push(client.connect());
    }
    await Promise.all(batch);
  }
}

async function connectBare(url: string, n: number, ack: boolean): Promise<void> {
  for (let start = 0; start < n; start += CONNECT_BATCH) {
    const batch: Promise<void>[] = [];
    for (let i = start; i < Math.min(n, start + CONNECT_BATCH); i++) {
      const ws = new WebSocket(`${url}/?i=${i}`, { perMessageDeflate: false });
      ws.on('message', (data) => {
        const command = JSON.parse(data.toString()) as { commandId: string }; // the parsing the recorder does too
        onCommand(i);
        if (ack) ws.send(JSON.stringify({ type: 'ack', commandId: command.commandId, ok: true }));
      });
      sockets.push(ws);
      batch.push(new Promise((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }));
    }
    await Promise.all(batch);
  }
}

process.on('message', (message: ParentMessage) => {
  void (async () => {
    switch (message.cmd) {
      case 'connect': {
        const started = Date.now();
        await (message.mode === 'rws'
          ? connectRws(message.url, message.count, message.status, message.offset ?? 0)
          : connectBare(message.url, message.count, message.mode === 'bare-ack'));
        report({ event: 'connected', count: message.count, ms: Date.now() - started });
        return;
      }
      case 'expect':
        received = new Float64Array(message.total);
        expected = message.indices;
        count = 0;
        report({ event: 'ready' });
        return;
      case 'close':
        await Promise.all(clients.map((c) => c.close()));
        for (const ws of sockets) ws.terminate();
        report({ event: 'closed' });
        process.exit(0);
    }
  })().catch((err: Error) => {
    report({ event: 'failed', message: err.message });
    process.exit(1);
  });
});
