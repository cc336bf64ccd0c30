import { createServer, Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { TlibLineDecoder } from '../../src/telephony/tlib/tlib-codec';

/**
 * A minimal JSON-lines "SIP Server" for benchmarks, run as its own process:
 *   --mode stream: greets, answers registrations, and once `--calls` DNs are registered sends `--events`
 *                  recording changes (GSIP_RECORD ON/PAUSED in turn, one call per DN) as fast as the socket takes them;
 *   --mode paced:  on connect, sends `{"t":<wall ms>}` lines at `--rate` per second for `--seconds` (transport baseline);
 *   --mode raw:    on connect, sends the same recording-change lines as stream, without handshake (parse baseline).
 * Prints `{"port":N}` first on stdout.
 */
const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'stream' },
    calls: { type: 'string', default: '1000' },
    events: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
  },
});
const calls = Number(values.calls);
const events = Number(values.events);
const START = 1763700000;

function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

function uuid(i: number): string {
  return `BENCH${String(i).padStart(27, '0')}`;
}

/** The i-th recording change: call i % calls, ON on even rounds, PAUSED on odd ones. */
function change(i: number, seq: number): string {
  const c = i % calls;
  const state = Math.floor(i / calls) % 2 === 0 ? 'ON' : 'PAUSED';
  const now = wallMs();
  const secs = Math.floor(now / 1000);
  const dn = String(100000 + c);
  return `{"message":"EventAttachedDataChanged","ThisDN":"${dn}","ConnID":"${(0x1000000 + c).toString(16).padStart(16, '0')}","CallUUID":"${uuid(c)}","CallType":2,"UserData":{"GSIP_RECORD":"${state}","GSIP_REC_FN":"${uuid(c)}_${dn}_20251121"},"EventSequenceNumber":${seq},"ServerStartTime":${START},"TimeinSecs":${secs},"TimeinuSecs":${Math.floor((now - secs * 1000) * 1000)}}\n`;
}

/**
 * The change stream, built before any client connects so that the measured side is the reader, not this
 * process. Numbered after the greeting and one EventRegistered per call.
 */
function buildStream(): Buffer[] {
  const batches: Buffer[] = [];
  let seq = calls + 2;
  for (let i = 0; i < events; ) {
    let batch = '';
    for (let k = 0; k < 500 && i < events; k++, i++) batch += change(i, seq++);
    batches.push(Buffer.from(batch));
  }
  return batches;
}

const prebuilt = values.mode === 'paced' ? [] : buildStream();

async function stream(socket: Socket): Promise<void> {
  for (const batch of prebuilt) {
    if (!socket.write(batch)) await new Promise((resolve) => socket.once('drain', resolve));
    if (socket.destroyed) return;
  }
}

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  if (values.mode === 'raw') {
    void stream(socket);
    return;
  }
  if (values.mode === 'paced') {
    const rate = Number(values.rate);
    const total = rate * Number(values.seconds);
    const started = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      let batch = '';
      for (; sent < due; sent++) batch += `{"t":${wallMs()},"n":${sent}}\n`;
      if (batch) socket.write(batch);
      if (sent < total && !socket.destroyed) setTimeout(tick, 1);
    };
    tick();
    return;
  }
  let seq = 0;
  let registered = 0;
  socket.write(`{"message":"EventLinkConnected","ServerName":"blaster","EventSequenceNumber":${++seq},"ServerStartTime":${START}}\n`);
  const decoder = new TlibLineDecoder();
  socket.on('data', (chunk: Buffer) => {
    for (const line of decoder.push(chunk)) {
      if (line.kind !== 'message' || line.message.message !== 'RequestRegisterAddress') continue;
      socket.write(`{"message":"EventRegistered","ReferenceID":${line.message.ReferenceID},"ThisDN":"${line.message.ThisDN}","Calls":[],"EventSequenceNumber":${++seq},"ServerStartTime":${START}}\n`);
      if (++registered === calls) void stream(socket);
    }
  });
}

const server = createServer(serve);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
