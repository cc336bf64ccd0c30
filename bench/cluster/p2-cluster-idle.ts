/**
 * P2 on a 3-node cluster (issue 15): N idle recorders per node (default 10,000, the single-node target), each
 * node's RSS and CPU while they sit idle over more than one heartbeat period, read from /proc/<pid> of the
 * node processes (scripts/cluster/start.sh, nodes from bench/cluster/bench-node.ts: the bench recorder
 * authenticator). Recorders connect straight to each node's URL, as they end up after the balancer: through
 * HAProxy every WebSocket costs two more descriptors there, and this machine's limit (ulimit -Hn 20,000) caps
 * the balancer near 10,000 connections — `--via-lb` connects the same total through it instead, which needs a
 * smaller N. One load-client process per node (each holds N sockets).
 *
 *   set -a; source .run/services.env; set +a; npm run bench:cluster:p2 -- [--per-node 10000] [--idle-seconds 35] [--via-lb]
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { LocalCluster, startLocalCluster } from '../../test/support/local-cluster';
import { round2 } from '../lib/recording-workload';
import { report, rssOfPid } from '../lib/report';
import type { ChildMessage, ParentMessage } from '../recorders/bench-ipc';
import { cpuSecondsOf } from './proc-cpu';

const NODES = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A load client (bench/recorders/load-client.ts) and its one answer to a command. */
function loadClient(): { child: ChildProcess; ask: (m: ParentMessage) => Promise<ChildMessage> } {
  const child = fork(join(__dirname, '..', 'recorders', 'load-client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (message: ParentMessage) =>
    new Promise<ChildMessage>((resolve, reject) => {
      child.once('message', (m: ChildMessage) => (m.event === 'failed' ? reject(new Error(m.message)) : resolve(m)));
      child.send(message);
    });
  return { child, ask };
}

/** rws_recorders_connected of one node's /metrics. */
async function connectedAt(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^rws_recorders_connected (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'per-node': { type: 'string', default: '10000' }, 'idle-seconds': { type: 'string', default: '35' }, 'via-lb': { type: 'boolean', default: false } } });
  const perNode = Number(values['per-node']);
  const idleSeconds = Number(values['idle-seconds']);
  const cluster: LocalCluster = await startLocalCluster(NODES, { CLUSTER_NODE_MAIN: join(__dirname, 'bench-node.js') });
  const clients = Array.from({ length: NODES }, loadClient);
  try {
    const pids = cluster.nodeUrls.map((_, i) => cluster.pidOf(`node${i + 1}`));
    await sleep(2000);
    const rssBefore = pids.map(rssOfPid);
    const started = Date.now();
    const targets = cluster.nodeUrls.map((url) => (values['via-lb'] ? cluster.lbUrl : url).replace(/^http/, 'ws') + RECORDER_CHANNEL_PATH);
    const answers = await Promise.all(clients.map((c, i) => c.ask({ cmd: 'connect', mode: 'rws', url: targets[i], count: perNode, status: false, offset: i * perNode })));
    if (answers.some((a) => a.event !== 'connected')) throw new Error(`connect failed: ${JSON.stringify(answers)}`);
    const connectSeconds = (Date.now() - started) / 1000;
    await sleep(1000);
    const rssConnected = pids.map(rssOfPid);
    const cpuBefore = pids.map(cpuSecondsOf);
    await sleep(idleSeconds * 1000);
    const cpu = pids.map((pid, i) => cpuSecondsOf(pid) - cpuBefore[i]);
    const connected = await Promise.all(cluster.nodeUrls.map(connectedAt));
    const rows = cluster.nodeUrls.map((url, i) => ({
      node: i + 1,
      connectedAfterIdle: connected[i],
      rssBeforeMiB: mib(rssBefore[i]),
      rssConnectedMiB: mib(rssConnected[i]),
      rssAfterIdleMiB: mib(rssOfPid(pids[i])),
      perRecorderKiB: connected[i] > 0 ? round2((rssConnected[i] - rssBefore[i]) / connected[i] / 1024) : NaN,
      idleCpuPercent: round2((cpu[i] / idleSeconds) * 100),
    }));
    report('p2-cluster-idle', rows, { nodes: NODES, recordersPerNode: perNode, viaBalancer: values['via-lb'], idleSeconds, heartbeatMs: Number(process.env.RWS_RECORDER_HEARTBEAT_MS ?? 30_000), connectSeconds: round2(connectSeconds), totalConnected: connected.reduce((a, b) => a + b, 0) });
  } finally {
    await Promise.all(clients.map((c) => c.ask({ cmd: 'close' }).catch(() => c.child.kill())));
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
