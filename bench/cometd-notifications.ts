import 'reflect-metadata';
import { parseArgs } from 'node:util';
import request from 'supertest';
import WebSocket from 'ws';
import { EmbeddedSimulator } from '../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../tools/sipserver-sim';
import { createContactCenter, createUser, TestUser } from '../test/support/identity-fixtures';
import { startTestApp, TestApp } from '../test/support/test-app';
import { createDesk } from '../test/support/telephony-fixtures';
import { testConfig } from '../test/support/test-config';
import { latencySummary, report, RssSampler } from './lib/report';

/**
 * CometD notification latency: N agents, each with a Bayeux client (WebSocket or long-polling, minimal raw
 * clients in this process) subscribed to /v2/me/calls and a call on its DN; the simulator pauses and resumes
 * each call's recording in turn, and the bench times simulator command → CallRecordingStateChange at the
 * client (through link, call state, event bus, Bayeux). One process: clients share the server's event loop.
 * Run: npm run build && node dist/bench/cometd-notifications.js [--agents 100] [--rounds 5]
 */
const { values } = parseArgs({ options: { agents: { type: 'string' }, rounds: { type: 'string' } } });
const AGENTS = Number(values.agents ?? 100);
const ROUNDS = Number(values.rounds ?? 5);
type Transport = 'websocket' | 'long-polling';
type Message = { channel: string; clientId?: string; data?: { notificationType?: string; call?: { callUuid: string; recordingState: string } } };

/** A raw Bayeux client: handshake, subscribe /v2/me/calls, connect loop; calls `onCall` for each call message. */
async function bayeuxClient(rws: TestApp, user: TestUser, transport: Transport, onCall: (m: Message) => void): Promise<() => void> {
  const url = `${rws.url}/api/v2/notifications`;
  let stopped = false;
  const deliver = (batch: Message[]) => batch.filter((m) => m.channel === '/v2/me/calls').forEach(onCall);
  if (transport === 'long-polling') {
    const post = async (body: object[]): Promise<Message[]> => {
      const res = await fetch(url, { method: 'POST', headers: { authorization: user.basic, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as Message[];
    };
    const [hs] = await post([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    const clientId = hs.clientId!;
    await post([{ channel: '/meta/subscribe', clientId, subscription: '/v2/me/calls' }]);
    void (async () => {
      while (!stopped) deliver(await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]));
    })().catch(() => undefined); // the server closing under a held connect ends the loop
    return () => {
      stopped = true;
      post([{ channel: '/meta/disconnect', clientId }]).catch(() => undefined);
    };
  }
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: { authorization: user.basic } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let clientId = '';
  const subscribed = new Promise<void>((resolve) => {
    ws.on('message', (raw) => {
      const batch = JSON.parse(raw.toString()) as Message[];
      for (const m of batch) {
        if (m.channel === '/meta/handshake') {
          clientId = m.clientId!;
          ws.send(JSON.stringify([{ channel: '/meta/subscribe', clientId, subscription: '/v2/me/calls' }, { channel: '/meta/connect', clientId, connectionType: 'websocket' }]));
        } else if (m.channel === '/meta/subscribe') resolve();
        else if (m.channel === '/meta/connect' && !stopped) ws.send(JSON.stringify([{ channel: '/meta/connect', clientId, connectionType: 'websocket' }]));
      }
      deliver(batch);
    });
  });
  ws.send(JSON.stringify([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['websocket'] }]));
  await subscribed;
  return () => {
    stopped = true;
    ws.close();
  };
}

async function run(rws: TestApp, ccid: string, transport: Transport): Promise<Record<string, unknown>> {
  const sim = rws.app.get(EmbeddedSimulator).simulator!.sim;
  const pending = new Map<string, { state: string; t0: number }>();
  const samples: number[] = [];
  const stops: (() => void)[] = [];
  const calls: { connId: string; callUuid: string; dn: string }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const user = await createUser(rws, ccid, `bench-${transport}`, { roles: ['agent'], agentId: `bench-${transport}-${i}` });
    const dn = String((transport === 'websocket' ? 30000 : 40000) + i);
    const place = await createDesk(rws, ccid, dn);
    await runCommand(sim, 'dn', { number: dn });
    await request(rws.url).post('/api/v2/me').set('Authorization', user.basic).send({ operationName: 'StartContactCenterSession', place }).expect(200);
    stops.push(
      await bayeuxClient(rws, user, transport, (m) => {
        const call = m.data?.call;
        const wanted = call && pending.get(call.callUuid);
        if (!call || !wanted || m.data?.notificationType !== 'CallRecordingStateChange' || call.recordingState !== wanted.state) return;
        samples.push(performance.now() - wanted.t0);
        pending.delete(call.callUuid);
      }),
    );
    const call = (await runCommand(sim, 'call', { from: `+1555${i}`, to: dn })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn });
    await runCommand(sim, 'private-service', { call: call.connId, thisDn: dn, operation: 'start' });
    calls.push({ ...call, dn });
  }
  await new Promise((r) => setTimeout(r, 500));
  const rss = new RssSampler().start();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const operation of ['pause', 'resume'] as const) {
      for (const call of calls) {
        pending.set(call.callUuid, { state: operation === 'pause' ? 'Paused' : 'Recording', t0: performance.now() });
        await runCommand(sim, 'private-service', { call: call.connId, thisDn: call.dn, operation });
      }
      const deadline = Date.now() + 10_000;
      while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      pending.clear();
    }
  }
  const elapsed = performance.now() - started;
  rss.stop();
  for (const stop of stops) stop();
  for (const call of calls) await runCommand(sim, 'release', { call: call.connId });
  const expected = AGENTS * ROUNDS * 2;
  return { transport, agents: AGENTS, expected, received: samples.length, ...latencySummary(samples), perSecond: Math.round((samples.length / elapsed) * 1000), rssMiB: Math.round(Math.max(...rss.samples) / 1048576) };
}

async function main(): Promise<void> {
  const rws = await startTestApp(testConfig());
  try {
    const ccid = await createContactCenter(rws);
    const rows = [await run(rws, ccid, 'websocket'), await run(rws, ccid, 'long-polling')];
    report('cometd-notifications', rows, { rounds: ROUNDS, note: 'latency = simulator command → CallRecordingStateChange at the client, ms; clients in the RWS process' });
  } finally {
    await rws.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
