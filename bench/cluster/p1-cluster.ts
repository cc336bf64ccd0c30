/**
 * P1 on a cluster (performance.md, issue 15): telephony event → recorder command latency with recorders
 * spread over 3 nodes and every agent's desktop session (its home, where its DN is registered and its
 * events enter) on ANOTHER node than its recorder, against the same measurement on a node alone (no Redis)
 * in the same session, rounds interleaved. A third group has its recorder on its home node of the cluster
 * (the local path, with the cluster's asynchronous Redis writes), to separate routing from cluster overhead.
 *
 * Latency: from the bench sending the simulator's control request that makes the telephony event (answer →
 * start, private-service pause/resume, release → stop) to the recorder receiving the command. The
 * simulator's own HTTP round trip is in every sample of every group alike, and reported on its own.
 *
 *   set -a; source .run/services.env; set +a; npm run bench:cluster-p1 -- [--agents 12] [--rounds 5] [--smoke]
 *   (the cluster and the lone node use the running Cassandra and WebDAV those name)
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { CommandMessage } from '../../src/recorders/recorder-protocol';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { latencySummary, resultsDir } from '../lib/report';
import { LocalCluster, startLocalCluster } from '../../test/support/local-cluster';
import { startLoneNode } from './lone-node';

type Group = 'routed' | 'cluster-local' | 'single-node';
type Action = 'start' | 'pause' | 'resume' | 'stop';

interface Agent {
  group: Group;
  userName: string;
  dn: string;
  recorder: RecorderClient;
  /** The next command this agent's recorder waits for, and who waits. */
  waiting?: { action: Action; resolve: (at: number) => void };
}

const { values: args } = parseArgs({ options: { agents: { type: 'string', default: '12' }, rounds: { type: 'string', default: '5' }, smoke: { type: 'boolean', default: false } } });
const AGENTS_PER_GROUP = args.smoke ? 3 : Number(args.agents);
const ROUNDS = args.smoke ? 1 : Number(args.rounds);
const COMMAND_TIMEOUT_MS = 10_000;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function http(method: string, url: string, body: unknown, authorization?: string): Promise<unknown> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

async function main(): Promise<void> {
  const cluster = await startLocalCluster(3);
  try {
    const lone = await startLoneNode(cluster);
    try {
      await run(cluster, lone.url);
    } finally {
      lone.stop();
    }
  } finally {
    await cluster.stop();
  }
}

async function run(cluster: LocalCluster, lone: string): Promise<void> {
  const ops = basic(cluster.opsUsername, cluster.opsPassword);
  const sim = (command: string, body: Record<string, unknown>) => http('POST', `${cluster.simControlUrl}/commands/${command}`, body);
  const cc = ((await http('POST', `${cluster.lbUrl}/api/v2/ops/contact-centers`, { name: 'bench p1 cluster' }, ops)) as { contactCenter: { id: string } }).contactCenter.id;
  await http('POST', `${cluster.lbUrl}/api/v2/ops/contact-centers/${cc}/features`, { uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }, ops);

  const nodes = cluster.nodeUrls;
  const agents: Agent[] = [];
  const placement = (group: Group, i: number): { home: string; recorderAt: string } =>
    group === 'single-node' ? { home: lone, recorderAt: lone } : { home: nodes[i % 3], recorderAt: group === 'routed' ? nodes[(i + 1) % 3] : nodes[i % 3] };
  for (const group of ['routed', 'cluster-local', 'single-node'] as Group[]) {
    for (let i = 0; i < AGENTS_PER_GROUP; i++) {
      const userName = `p1-${group}-${i}-${randomUUID().slice(0, 6)}`;
      const password = `pw-${randomUUID()}`;
      const dn = String(100_000_000 + Math.floor(Math.random() * 899_999_999));
      await http('POST', `${cluster.lbUrl}/api/v2/ops/contact-centers/${cc}/users`, { userName, password, roles: ['agent'], agentId: `a-${dn}` }, ops);
      await http('POST', `${cluster.lbUrl}/api/v2/ops/contact-centers/${cc}/dns`, { dn, switch: 'SIP_Switch' }, ops);
      await http('POST', `${cluster.lbUrl}/api/v2/ops/contact-centers/${cc}/places`, { name: `Place_${dn}`, dns: [dn], agents: [] }, ops);
      await sim('dn', { number: dn, record: true });
      const { home, recorderAt } = placement(group, i);
      const auth = basic(userName, password);
      await http('POST', `${home}/api/v2/me`, { operationName: 'StartContactCenterSession', channels: ['voice'], place: `Place_${dn}` }, auth);
      const recorder = new RecorderClient({ url: `${recorderAt.replace(/^http/, 'ws')}${RECORDER_CHANNEL_PATH}`, authorization: auth, hello: { clientVersion: '1.0.0', platform: 'bench', hostname: userName } });
      const agent: Agent = { group, userName, dn, recorder };
      recorder.on('command', (c: CommandMessage) => {
        const at = performance.now();
        if (agent.waiting?.action === c.action) {
          const w = agent.waiting;
          agent.waiting = undefined;
          w.resolve(at);
        }
      });
      await recorder.connect();
      agents.push(agent);
    }
  }

  const buckets = (): Record<Group, number[]> => ({ routed: [], 'cluster-local': [], 'single-node': [] });
  const paced = buckets();
  const burst = buckets();
  let samples = paced;
  const simRoundTrip: number[] = [];
  let missing = 0;
  /** Sends one simulator command and measures until the agent's recorder gets `action`. */
  const measure = async (agent: Agent, action: Action, command: string, body: Record<string, unknown>) => {
    const received = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), COMMAND_TIMEOUT_MS);
      agent.waiting = { action, resolve: (at) => (clearTimeout(timer), resolve(at)) };
    });
    const t0 = performance.now();
    await sim(command, body);
    simRoundTrip.push(performance.now() - t0);
    const at = await received;
    if (at === undefined) missing++;
    else samples[agent.group].push(at - t0);
  };

  const started = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved: each agent of each group in turn, so the machine's load drifts over all groups alike.
    const order = [...Array(AGENTS_PER_GROUP).keys()].flatMap((i) => agents.filter((_, j) => j % AGENTS_PER_GROUP === i));
    samples = paced;
    for (const agent of order) {
      const call = (await sim('call', { from: '+16175550199', to: agent.dn })) as { connId: string };
      await measure(agent, 'start', 'answer', { call: call.connId, dn: agent.dn });
      await measure(agent, 'pause', 'private-service', { call: call.connId, thisDn: agent.dn, operation: 'pause' });
      await measure(agent, 'resume', 'private-service', { call: call.connId, thisDn: agent.dn, operation: 'resume' });
      await measure(agent, 'stop', 'release', { call: call.connId });
    }
    // Burst: every agent's event at once (the simulator's control requests all in flight together).
    samples = burst;
    const calls = new Map<Agent, string>();
    for (const agent of order) calls.set(agent, ((await sim('call', { from: '+16175550198', to: agent.dn })) as { connId: string }).connId);
    await Promise.all(order.map((a) => measure(a, 'start', 'answer', { call: calls.get(a), dn: a.dn })));
    await Promise.all(order.map((a) => measure(a, 'pause', 'private-service', { call: calls.get(a), thisDn: a.dn, operation: 'pause' })));
    await Promise.all(order.map((a) => measure(a, 'resume', 'private-service', { call: calls.get(a), thisDn: a.dn, operation: 'resume' })));
    await Promise.all(order.map((a) => measure(a, 'stop', 'release', { call: calls.get(a) })));
  }

  const summarize = (of: Record<Group, number[]>) => Object.fromEntries((Object.keys(of) as Group[]).map((g) => [g, latencySummary(of[g])])) as Record<Group, ReturnType<typeof latencySummary>>;
  const ratio = (s: Record<Group, ReturnType<typeof latencySummary>>) => ({
    p50: Math.round((s.routed.p50 / s['single-node'].p50) * 100) / 100,
    p99: Math.round((s.routed.p99 / s['single-node'].p99) * 100) / 100,
  });
  const pacedSummary = summarize(paced);
  const burstSummary = summarize(burst);
  const result = {
    bench: 'p1-cluster',
    at: new Date().toISOString(),
    nodes: 3,
    agentsPerGroup: AGENTS_PER_GROUP,
    rounds: ROUNDS,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    missing,
    pacedLatencyMs: pacedSummary,
    burstLatencyMs: burstSummary,
    simulatorRoundTripMs: latencySummary(simRoundTrip),
    routedToSingleNode: { paced: ratio(pacedSummary), burst: ratio(burstSummary) },
  };
  await Promise.all(agents.map((a) => a.recorder.close()));
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (!args.smoke) writeFileSync(join(resultsDir(), `p1-cluster-${Date.now()}.json`), JSON.stringify(result, null, 2));
  if (missing > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`p1-cluster failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
