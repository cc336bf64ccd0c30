/**
 * P5 on a cluster (issue 15): Recording Processor inserts (one HTTP POST per recording, Basic auth) through
 * HAProxy with 1, 2 and 3 RWS nodes (scripts/cluster/start.sh, the shared Cassandra and WebDAV of
 * CLUSTER's services.env). On this 2-core machine the nodes share the cores with Cassandra, so the rate alone
 * says little about scaling: each run also reads every node's CPU seconds (/proc/<pid>/stat) before and after,
 * and reports CPU milliseconds per insert per node and in total — the slope a machine with a core per node
 * would follow — also net of what each node burns idle (measured over 5 s just before).
 *
 *   set -a; source .run/services.env; set +a; npm run bench:cluster:p5 -- [--nodes 1,2,3] [--inserts 3000] [--concurrency 32]
 */
import { parseArgs } from 'node:util';
import { childJob } from '../lib/child-job';
import { documents, round2 } from '../lib/recording-workload';
import { report } from '../lib/report';
import type { InsertJob, InsertOutcome } from '../support/http-insert-client';
import { basicAuth } from '../../test/support/test-app';
import { FIXTURE_VOICE_STORE } from '../../test/support/recording-fixtures';
import { LocalCluster, startLocalCluster } from '../../test/support/local-cluster';
import { cpuSecondsOf, machineCpuSeconds } from './proc-cpu';

const WARM_UP = 400;
const IDLE_SECONDS = 5;

async function post(cluster: LocalCluster, path: string, authorization: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${cluster.lbUrl}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function contactCenter(cluster: LocalCluster, ops: string): Promise<string> {
  const ccid = ((await post(cluster, '/api/v2/ops/contact-centers', ops, { name: 'p5 cluster' })).contactCenter as { id: string }).id;
  const settings = await fetch(`${cluster.lbUrl}/api/v2/ops/contact-centers/${ccid}/settings/recordings`, {
    method: 'PUT',
    headers: { authorization: ops, 'content-type': 'application/json' },
    body: JSON.stringify({ store: [{ webDAV: { storagePath: FIXTURE_VOICE_STORE } }] }),
  });
  if (settings.status !== 200) throw new Error(`settings: ${settings.status}`);
  await post(cluster, `/api/v2/ops/contact-centers/${ccid}/features`, ops, { uris: ['/api/api-supervisor-recording'] });
  return ccid;
}

async function insertThroughBalancer(cluster: LocalCluster, ccid: string, ops: string, docs: Record<string, unknown>[], concurrency: number): Promise<InsertOutcome> {
  const job: InsertJob = { url: `${cluster.lbUrl}/internal-api/contact-centers/${ccid}/recordings`, authorization: ops, bodies: docs.map((d) => JSON.stringify(d)), concurrency };
  const outcome = await childJob<InsertJob, InsertOutcome>('http-insert-client', job);
  if (outcome.error) throw new Error(`insert client failed: ${outcome.error}`);
  return outcome;
}

async function measure(nodes: number, inserts: number, concurrency: number, seed: number): Promise<Record<string, unknown>> {
  const cluster = await startLocalCluster(nodes);
  try {
    const ops = basicAuth(cluster.opsUsername, cluster.opsPassword);
    const ccid = await contactCenter(cluster, ops);
    // Warm-up: statements prepared, credential verified on every node, JIT (as many inserts per node whatever N).
    await insertThroughBalancer(cluster, ccid, ops, documents(seed, WARM_UP * nodes), concurrency);
    const pids = cluster.nodeUrls.map((_, i) => cluster.pidOf(`node${i + 1}`));
    const balancer = cluster.pidOf('haproxy');
    // What each node costs doing nothing (health checks, polls, heartbeats): subtracted from the insert run's
    // CPU, otherwise a slow run on a loaded machine charges more idle time to each insert.
    const idleBefore = pids.map(cpuSecondsOf);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idlePerSecond = pids.map((pid, i) => (cpuSecondsOf(pid) - idleBefore[i]) / IDLE_SECONDS);
    const before = { nodes: pids.map(cpuSecondsOf), balancer: cpuSecondsOf(balancer), machine: machineCpuSeconds() };
    const outcome = await insertThroughBalancer(cluster, ccid, ops, documents(seed + 1, inserts), concurrency);
    const nodeCpu = pids.map((pid, i) => cpuSecondsOf(pid) - before.nodes[i]);
    const machine = machineCpuSeconds();
    const seconds = outcome.elapsedMs / 1000;
    const totalNodeCpu = nodeCpu.reduce((a, b) => a + b, 0);
    const netNodeCpu = nodeCpu.map((cpu, i) => Math.max(0, cpu - idlePerSecond[i] * seconds));
    const totalNetCpu = netNodeCpu.reduce((a, b) => a + b, 0);
    return {
      nodes,
      insertsPerSecond: round2(inserts / seconds),
      failures: outcome.failures,
      firstFailure: outcome.firstFailure,
      // Round robin: each node served inserts / nodes of them.
      cpuMsPerInsertPerNode: nodeCpu.map((cpu) => round2((cpu * 1000) / (inserts / nodes))),
      cpuMsPerInsertAllNodes: round2((totalNodeCpu * 1000) / inserts),
      netCpuMsPerInsertPerNode: netNodeCpu.map((cpu) => round2((cpu * 1000) / (inserts / nodes))),
      netCpuMsPerInsertAllNodes: round2((totalNetCpu * 1000) / inserts),
      idleCpuPercentPerNode: idlePerSecond.map((cpu) => round2(cpu * 100)),
      nodeCpuSeconds: nodeCpu.map(round2),
      balancerCpuMsPerInsert: round2(((cpuSecondsOf(balancer) - before.balancer) * 1000) / inserts),
      machineBusyShare: round2((machine.busy - before.machine.busy) / (machine.total - before.machine.total)),
      seconds: round2(seconds),
    };
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1,2,3' }, inserts: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '32' } } });
  const sizes = values.nodes!.split(',').map(Number);
  const inserts = Number(values.inserts);
  const concurrency = Number(values.concurrency);
  const rows: Record<string, unknown>[] = [];
  for (const [i, nodes] of sizes.entries()) {
    const row = await measure(nodes, inserts, concurrency, 7000 + i * 10);
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  report('p5-cluster-inserts', rows, { inserts, concurrency });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
