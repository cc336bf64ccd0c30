import { Logger } from '@nestjs/common';
import { ClusterRedis } from '../../src/cluster/cluster-redis';
import { RedisRecorderRouting } from '../../src/cluster/recorders/redis-recorder-routing';
import { loadConfig } from '../../src/config/app-config';
import { HealthRegistry } from '../../src/health/health-registry';
import type { Principal } from '../../src/identity/principal';
import { MetricsService } from '../../src/metrics/metrics.service';
import { NoAgentSessions } from '../../src/recorders/agent-session.port';
import { DefaultAgentSettings } from '../../src/recorders/agent-settings.port';
import { RecorderConnection } from '../../src/recorders/recorder-connection';
import { RecorderMetrics } from '../../src/recorders/recorder-metrics';
import { RecordersService } from '../../src/recorders/recorders.service';
import { screenRecordingId } from '../../src/recorders/screen-recording-id';
import { InMemoryScreenRecordingRegistry } from '../../src/recorders/screen-recording-registry.port';
import { RedisProcess, startRedis } from '../support/redis-process';
import { expectEventually } from '../support/test-app';
import { FakeRecorderSocket } from './fake-recorder-socket';

class Socket extends FakeRecorderSocket {
  /** Distinct commands (a resend repeats a commandId), as `action recordingId`. */
  commands(): string[] {
    return [...new Map(this.commandFrames().map((c) => [c.commandId, `${c.action} ${c.recordingId}`])).values()];
  }
}

interface Node {
  redis: ClusterRedis;
  routing: RedisRecorderRouting;
  service: RecordersService;
}

const principal = (userName: string): Principal => ({ kind: 'user', userName, ccid: 'cc-routing', agentId: userName, roles: ['agent'], permissions: [], accessGroups: [] });

/**
 * The Redis adapter of recorder routing against a real redis-server: two (three) RecordersService nodes in one
 * process, each with its own ClusterRedis. The home derives the desired state from signals, the recorder sits
 * on another node; Redis crashes (kill -9, back empty) while the call changes.
 */
describe('recorder routing over Redis (RedisRecorderRouting)', () => {
  let redis: RedisProcess;
  const nodes: Node[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const n of nodes.splice(0)) {
      n.service.closeAll();
      n.routing.onApplicationShutdown();
      await n.redis.onApplicationShutdown();
    }
  });
  afterAll(async () => {
    await redis?.stop();
    Logger.overrideLogger(['error', 'warn']);
  });

  async function node(): Promise<Node> {
    const config = loadConfig({ RWS_CLUSTER_REDIS_URL: redis.url, RWS_RECORDER_RESEND_MS: '60000' });
    const clusterRedis = new ClusterRedis(config, new HealthRegistry());
    const routing = new RedisRecorderRouting(clusterRedis);
    const service = new RecordersService(config, new DefaultAgentSettings(), new NoAgentSessions(), new InMemoryScreenRecordingRegistry(), new RecorderMetrics(new MetricsService()), routing);
    await expectEventually(async () => {
      expect(clusterRedis.commands!.status).toBe('ready');
      const [, listeners] = (await clusterRedis.commands!.pubsub('NUMSUB', `rws:recorder-commands:${clusterRedis.nodeId}`)) as [string, number];
      expect(listeners).toBe(1);
    });
    const created = { redis: clusterRedis, routing, service };
    nodes.push(created);
    return created;
  }

  async function recorderOn(n: Node, userName: string): Promise<Socket> {
    const socket = new Socket();
    const connection = new RecorderConnection(socket, principal(userName));
    n.service.connected(connection);
    n.service.greet(connection, { type: 'hello', clientVersion: '1', platform: 'test', hostname: 'pc' });
    await expectEventually(() => expect(socket.welcome()).toBeDefined());
    return socket;
  }

  const signal = (n: Node, type: 'started' | 'paused' | 'resumed' | 'stopped', userName: string, callUuid: string) =>
    n.service.onSignal({ type, agent: { ccid: 'cc-routing', userName }, callUuid, connId: 'c1', at: new Date().toISOString() });

  it('routes start, pause, resume, stop to the recorder on the other node once each, in order', async () => {
    const [home, other] = [await node(), await node()];
    const socket = await recorderOn(other, 'agent-a');
    const id = screenRecordingId({ ccid: 'cc-routing', userName: 'agent-a' }, 'CALL-A');
    const steps = ['started', 'paused', 'resumed', 'stopped'] as const;
    const actions = ['start', 'pause', 'resume', 'stop'];
    for (let i = 0; i < steps.length; i++) {
      signal(home, steps[i], 'agent-a', 'CALL-A');
      await expectEventually(() => expect(socket.commands()).toHaveLength(i + 1));
    }
    expect(socket.commands()).toEqual(actions.map((a) => `${a} ${id}`));
  });

  it('Redis crashes (back empty) while the call is stopped: the recorder still gets the stop; a recording still running is republished for recorders connecting later', async () => {
    const [home, other, third] = [await node(), await node(), await node()];
    const socket = await recorderOn(other, 'agent-b');
    signal(home, 'started', 'agent-b', 'CALL-B');
    signal(home, 'started', 'agent-c', 'CALL-C');
    const idB = screenRecordingId({ ccid: 'cc-routing', userName: 'agent-b' }, 'CALL-B');
    const idC = screenRecordingId({ ccid: 'cc-routing', userName: 'agent-c' }, 'CALL-C');
    await expectEventually(() => expect(socket.commands()).toEqual([`start ${idB}`]));

    await redis.restart(async () => {
      // Both connections have seen the crash before the call changes.
      await expectEventually(() => expect([home.redis.commands!.status, other.redis.subscriber!.status]).not.toContain('ready'));
      signal(home, 'stopped', 'agent-b', 'CALL-B');
    });

    await expectEventually(() => expect(socket.commands()).toEqual([`start ${idB}`, `stop ${idB}`]), 15_000);
    // agent-c's recording went on through the crash: a recorder connecting now (third node) is welcomed into it.
    await expectEventually(async () => {
      const late = await recorderOn(third, 'agent-c');
      expect(late.welcome()?.desired).toEqual({ recordingId: idC, callUuid: 'CALL-C', state: 'recording' });
    }, 15_000);
  });
});
