/* global process, console */
// Waits until a freshly started Cassandra serves CQL: first its native port accepts TCP, then a real query
// (SELECT release_version FROM system.local) succeeds through cassandra-driver. Gives up early when the
// server process dies, and after --timeout seconds.
// Usage: node wait-ready.mjs --port 19042 [--host 127.0.0.1] [--pid 1234] [--timeout 180]
// Exit: 0 ready, 1 timed out, 2 the process died.
import cassandra from 'cassandra-driver';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    pid: { type: 'string' },
    timeout: { type: 'string', default: '180' },
  },
});
const port = Number(values.port);
const pid = values.pid ? Number(values.pid) : undefined;
const deadline = Date.now() + Number(values.timeout) * 1000;

function alive() {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function portAccepts() {
  return new Promise((resolve) => {
    const socket = connect({ host: values.host, port });
    socket.setTimeout(2000);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function queryWorks() {
  const client = new cassandra.Client({
    contactPoints: [`${values.host}:${port}`],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 5000, readTimeout: 10000 },
  });
  try {
    const result = await client.execute('SELECT release_version FROM system.local');
    return result.first()?.release_version ?? 'unknown';
  } catch {
    return undefined;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

let lastState = 'port closed';
while (Date.now() < deadline) {
  if (!alive()) {
    console.error(`Cassandra (pid ${pid}) exited before it was ready (${lastState})`);
    process.exit(2);
  }
  if (await portAccepts()) {
    lastState = 'port open, CQL not answering';
    const version = await queryWorks();
    if (version) {
      console.log(`Cassandra ${version} ready on ${values.host}:${port}`);
      process.exit(0);
    }
  }
  await sleep(500);
}
console.error(`Cassandra not ready on ${values.host}:${port} within ${values.timeout} s (${lastState})`);
process.exit(1);
