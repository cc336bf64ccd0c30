import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { Principal } from '../identity/principal';
import { MetricsService } from '../metrics/metrics.service';
import { NoAgentSessions } from './agent-session.port';
import { DefaultAgentSettings } from './agent-settings.port';
import { FakeRecorderSocket } from '../../test/recorders/fake-recorder-socket';
import { RecorderConnection } from './recorder-connection';
import { RecorderMetrics } from './recorder-metrics';
import { RecordersService } from './recorders.service';
import { CreatedScreenRecording, InMemoryScreenRecordingRegistry, ScreenRecordingRegistry } from './screen-recording-registry.port';

const ALICE: Principal = { kind: 'user', userName: 'alice', ccid: 'cc', agentId: '7001', roles: ['agent'], permissions: [], accessGroups: [] };
const HELLO = { type: 'hello', clientVersion: '1.0.0', platform: 'test', hostname: 'pc' } as const;

/** A registry whose writes finish only when the test says so, to show in which order they start. */
class SlowRegistry extends ScreenRecordingRegistry {
  readonly started: string[] = [];
  private readonly releases: (() => void)[] = [];
  created(r: CreatedScreenRecording): Promise<void> {
    return this.slow(`created ${r.recordingId}`);
  }
  override changed(c: { recordingId: string; state: string }): Promise<void> {
    return this.slow(`${c.state} ${c.recordingId}`);
  }
  finishOne(): void {
    this.releases.shift()?.();
  }
  private slow(what: string): Promise<void> {
    this.started.push(what);
    return new Promise((resolve) => this.releases.push(resolve));
  }
}

describe('RecordersService', () => {
  let service: RecordersService;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    service = new RecordersService(loadConfig({}), new DefaultAgentSettings(), new NoAgentSessions(), new InMemoryScreenRecordingRegistry(), new RecorderMetrics(new MetricsService()));
  });
  afterEach(() => service.closeAll());

  function connect(principal = ALICE): { socket: FakeRecorderSocket; connection: RecorderConnection } {
    const socket = new FakeRecorderSocket();
    const connection = new RecorderConnection(socket, principal);
    service.connected(connection);
    service.greet(connection, { ...HELLO });
    return { socket, connection };
  }

  function ackLast(connection: RecorderConnection, socket: FakeRecorderSocket): void {
    service.acknowledge(connection, { type: 'ack', commandId: socket.commandFrames().at(-1)!.commandId, ok: true });
  }

  it('sends a recorder that reports recording while RWS wants a pause one corrective pause, and only once', () => {
    const { socket, connection } = connect();
    service.onSignal({ type: 'started', agent: { ccid: 'cc', userName: 'alice' }, callUuid: 'CALL', connId: 'c', at: 'now' });
    ackLast(connection, socket);
    service.onSignal({ type: 'paused', agent: { ccid: 'cc', userName: 'alice' }, callUuid: 'CALL', connId: 'c', at: 'now' });
    ackLast(connection, socket);
    const recordingId = socket.commandFrames()[0].recordingId;

    service.recordStatus(connection, { type: 'status', state: 'recording', recordingId });
    expect(socket.commandFrames().map((c) => c.action)).toEqual(['start', 'pause', 'pause']);
    ackLast(connection, socket);
    service.recordStatus(connection, { type: 'status', state: 'recording', recordingId });
    expect(socket.commandFrames()).toHaveLength(3);
  });

  it('does not correct while a command is in flight (the status may predate it)', () => {
    const { socket, connection } = connect();
    service.onSignal({ type: 'started', agent: { ccid: 'cc', userName: 'alice' }, callUuid: 'CALL', connId: 'c', at: 'now' });
    service.recordStatus(connection, { type: 'status', state: 'idle' });
    expect(socket.commandFrames().map((c) => c.action)).toEqual(['start']);
  });

  it('restarts the desired recording for a recorder that reports idle', () => {
    const { socket, connection } = connect();
    service.onSignal({ type: 'started', agent: { ccid: 'cc', userName: 'alice' }, callUuid: 'CALL', connId: 'c', at: 'now' });
    ackLast(connection, socket);
    service.recordStatus(connection, { type: 'status', state: 'idle' });
    const [start, again] = socket.commandFrames();
    expect(again).toMatchObject({ action: 'start', recordingId: start.recordingId, callUuid: 'CALL' });
    expect(again.commandId).not.toBe(start.commandId);
  });

  it('leaves a consistent recorder alone', () => {
    const { socket, connection } = connect();
    service.recordStatus(connection, { type: 'status', state: 'idle' });
    service.recordStatus(connection, { type: 'status', state: 'uploading', recordingId: 'old' });
    expect(socket.commandFrames()).toEqual([]);
    expect(service.recorderOf({ ccid: 'cc', userName: 'alice' })?.lastStatus).toEqual({ state: 'uploading', recordingId: 'old' });
  });

  it('replaces an older recorder of the same agent with 4409 and sends commands to the newer only', () => {
    const first = connect();
    const second = connect();
    expect(first.socket.closedWith).toBe(4409);
    service.onSignal({ type: 'started', agent: { ccid: 'cc', userName: 'alice' }, callUuid: 'CALL', connId: 'c', at: 'now' });
    expect(first.socket.commandFrames()).toEqual([]);
    expect(second.socket.commandFrames()).toHaveLength(1);
    expect(service.recorders.recorderCount).toBe(1);
    expect(service.recorders.connectionCount).toBe(1);
  });

  it('terminates a recorder after two unanswered pings and closes one that never said hello', () => {
    const { socket, connection } = connect();
    const silent = new FakeRecorderSocket();
    const unGreeted = new RecorderConnection(silent, { ...ALICE, userName: 'bob' });
    (unGreeted as { connectedAt: number }).connectedAt = Date.now() - 3 * service.heartbeatIntervalMs;
    service.connected(unGreeted);
    const sweepAll = () => {
      for (let s = 0; s < service.recorders.sliceCount; s++) service.heartbeat(s);
    };
    sweepAll();
    expect(silent.closedWith).toBe(4408);
    sweepAll();
    expect(socket.readyState).toBe(1);
    sweepAll();
    expect(socket.readyState).toBe(3);
    expect(connection.goneReason).toBe('heartbeat');
    expect(service.recorders.recorderCount).toBe(0);
  });

  it('stops a recording RWS does not want, and ends its metadata for the agent (never left in recording)', async () => {
    const changes: unknown[] = [];
    class Recording extends InMemoryScreenRecordingRegistry {
      override changed(c: unknown): void {
        changes.push(c);
      }
    }
    const own = new RecordersService(loadConfig({}), new DefaultAgentSettings(), new NoAgentSessions(), new Recording(), new RecorderMetrics(new MetricsService()));
    const socket = new FakeRecorderSocket();
    const connection = new RecorderConnection(socket, ALICE);
    own.connected(connection);
    own.greet(connection, { ...HELLO });
    const stale = '0b8e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    own.recordStatus(connection, { type: 'status', state: 'recording', recordingId: stale });
    expect(socket.commandFrames().map((c) => `${c.action} ${c.recordingId}`)).toEqual([`stop ${stale}`]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes).toEqual([expect.objectContaining({ recordingId: stale, ccid: 'cc', userName: 'alice', state: 'stopped' })]);
    own.closeAll();
  });

  it('sends a start only once its metadata exists; later commands never wait for their writes, which land in event order', async () => {
    const registry = new SlowRegistry();
    const slowService = new RecordersService(loadConfig({}), new DefaultAgentSettings(), new NoAgentSessions(), registry, new RecorderMetrics(new MetricsService()));
    const socket = new FakeRecorderSocket();
    const connection = new RecorderConnection(socket, ALICE);
    slowService.connected(connection);
    slowService.greet(connection, { ...HELLO });
    const agent = { ccid: 'cc', userName: 'alice' };
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const ackLast = () => slowService.acknowledge(connection, { type: 'ack', commandId: socket.commandFrames().at(-1)!.commandId, ok: true });

    slowService.onSignal({ type: 'started', agent, callUuid: 'CALL', connId: 'c', at: 'now' });
    await settle();
    expect(registry.started).toEqual([expect.stringMatching(/^created /)]);
    expect(socket.commandFrames()).toEqual([]);
    registry.finishOne();
    await settle();
    expect(socket.commandFrames().map((c) => c.action)).toEqual(['start']);
    const id = socket.commandFrames()[0].recordingId;
    ackLast();

    for (const type of ['paused', 'resumed', 'stopped'] as const) {
      slowService.onSignal({ type, agent, callUuid: 'CALL', connId: 'c', at: 'now' });
      ackLast();
    }
    expect(socket.commandFrames().map((c) => c.action)).toEqual(['start', 'pause', 'resume', 'stop']);
    await settle();
    expect(registry.started).toEqual([`created ${id}`, `paused ${id}`]);
    for (let i = 0; i < 2; i++) {
      registry.finishOne();
      await settle();
    }
    expect(registry.started).toEqual([`created ${id}`, `paused ${id}`, `recording ${id}`, `stopped ${id}`]);
    slowService.closeAll();
  });
});
