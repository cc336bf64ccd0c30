import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import type { Principal } from '../identity/principal';
import { MetricsService } from '../metrics/metrics.service';
import { NoAgentSessions } from './agent-session.port';
import { DefaultAgentSettings } from './agent-settings.port';
import { FakeRecorderSocket } from '../../test/recorders/fake-recorder-socket';
import { RecorderConnection } from './recorder-connection';
import { RecorderMetrics } from './recorder-metrics';
import type { CommandMessage } from './recorder-protocol';
import { RecorderAttachment, RecorderReport, RecorderRouting, RoutedCommand, RoutedDesired, RoutedSnapshot, RoutingHandlers } from './recorder-routing.port';
import { RecordersService } from './recorders.service';
import { screenRecordingId } from './screen-recording-id';
import { InMemoryScreenRecordingRegistry, ScreenRecordingChange } from './screen-recording-registry.port';

/** What Redis holds for routing (the adapter's contract, in memory): seq, snapshot key and presence per agent. */
class Bus {
  readonly seq = new Map<string, number>();
  readonly desired = new Map<string, RoutedDesired>();
  readonly presence = new Map<string, string>();
  readonly stops = new Map<string, Set<string>>();
  readonly nodes = new Map<string, RoutingHandlers>();
  /** Drops the next n routed messages (pub/sub is at most once). */
  lose = 0;
  /** When set, an attach's answer (read at once, like the MULTI) reaches the node only when this resolves. */
  slowAttach?: Promise<void>;
}

class BusRouting extends RecorderRouting {
  readonly enabled = true;
  constructor(
    private readonly bus: Bus,
    readonly nodeId: string,
  ) {
    super();
  }
  listen(handlers: RoutingHandlers): void {
    this.bus.nodes.set(this.nodeId, handlers);
  }
  async publish(agentKey: string, snapshot: RoutedSnapshot | null, command: CommandMessage | null): Promise<string | undefined> {
    const seq = (this.bus.seq.get(agentKey) ?? 0) + 1;
    this.bus.seq.set(agentKey, seq);
    this.bus.desired.set(agentKey, { seq, home: this.nodeId, snapshot });
    const at = this.bus.presence.get(agentKey);
    if (!at || at === this.nodeId) return undefined;
    const message: RoutedCommand = { agentKey, seq, home: this.nodeId, snapshot, command };
    if (this.bus.lose > 0) this.bus.lose--;
    else this.bus.nodes.get(at)?.command(JSON.parse(JSON.stringify(message)) as RoutedCommand);
    return at;
  }
  async attach(agentKey: string): Promise<RecorderAttachment> {
    this.bus.presence.set(agentKey, this.nodeId);
    const read = { desired: this.bus.desired.get(agentKey) ?? null, stopped: [...(this.bus.stops.get(agentKey) ?? [])] };
    await this.bus.slowAttach;
    return read;
  }
  async peek(agentKey: string): Promise<RoutedDesired | null> {
    return this.bus.desired.get(agentKey) ?? null;
  }
  detach(agentKey: string): void {
    if (this.bus.presence.get(agentKey) === this.nodeId) this.bus.presence.delete(agentKey);
  }
  rememberStop(agentKey: string, recordingId: string): void {
    this.bus.stops.set(agentKey, (this.bus.stops.get(agentKey) ?? new Set<string>()).add(recordingId));
  }
  report(home: string, report: RecorderReport): void {
    this.bus.nodes.get(home)?.report(report);
  }
}

class FakeSocket extends FakeRecorderSocket {
  commands(): string[] {
    return this.commandFrames().map((c) => `${c.action} ${c.recordingId.slice(0, 8)}`);
  }
}

/** Remembers each change's state. */
class Screens extends InMemoryScreenRecordingRegistry {
  readonly changes: string[] = [];
  override changed(change: ScreenRecordingChange): void {
    this.changes.push(change.state);
  }
}

const ALICE: Principal = { kind: 'user', userName: 'alice', ccid: 'cc', agentId: '7001', roles: ['agent'], permissions: [], accessGroups: [] };
const AGENT = { ccid: 'cc', userName: 'alice' };
const flush = () => new Promise((resolve) => setImmediate(resolve));
/** The first 8 characters of alice's screen recording id for CALL-1, as the fake socket logs commands. */
const shortId = (generation?: number) => screenRecordingId(AGENT, 'CALL-1', generation).slice(0, 8);

describe('recorder commands across nodes (RoutedRecorders)', () => {
  let bus: Bus;
  let home: RecordersService;
  let recorderNode: RecordersService;
  let registry: Screens;
  let node: (id: string, screens?: InMemoryScreenRecordingRegistry) => RecordersService;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    bus = new Bus();
    node = (id: string, screens = new InMemoryScreenRecordingRegistry()) =>
      new RecordersService(loadConfig({}), new DefaultAgentSettings(), new NoAgentSessions(), screens, new RecorderMetrics(new MetricsService()), new BusRouting(bus, id));
    registry = new Screens();
    home = node('home', registry);
    recorderNode = node('recorder-node');
  });
  afterEach(() => {
    home.closeAll();
    recorderNode.closeAll();
  });

  async function connectRecorder(on: RecordersService): Promise<{ socket: FakeSocket; connection: RecorderConnection }> {
    const socket = new FakeSocket();
    const connection = new RecorderConnection(socket, ALICE);
    on.connected(connection);
    on.greet(connection, { type: 'hello', clientVersion: '1', platform: 'test', hostname: 'pc' });
    await flush();
    return { socket, connection };
  }

  type SignalType = 'started' | 'paused' | 'resumed' | 'stopped';
  /** A telephony signal of alice's call on node `on`, then the turns its routing takes. */
  const signalOn = async (on: RecordersService, type: SignalType) => {
    on.onSignal({ type, agent: AGENT, callUuid: 'CALL-1', connId: 'c1', at: new Date().toISOString() });
    await flush();
  };
  const signal = (type: SignalType) => signalOn(home, type);

  it('the home’s commands reach the recorder on another node once each and in order', async () => {
    const { socket } = await connectRecorder(recorderNode);
    await signal('started');
    await signal('paused');
    await signal('resumed');
    await signal('stopped');
    const id = screenRecordingId(AGENT, 'CALL-1');
    expect(socket.commands()).toEqual(['start', 'pause', 'resume', 'stop'].map((a) => `${a} ${id.slice(0, 8)}`));
    expect(registry.find(id)).toBeDefined();
    // The home knows the recorder was told: the recording ends `stopped`, not `missing`.
    expect(registry.changes).toEqual(['paused', 'recording', 'stopped']);
  });

  it('a lost message is a gap: the next one converges the recorder from the snapshot, never replays or skips a stop', async () => {
    const { socket } = await connectRecorder(recorderNode);
    await signal('started');
    bus.lose = 1;
    await signal('paused'); // lost
    await signal('stopped'); // seq jumps by 2: converge from its snapshot (null) → stop
    expect(socket.commands().map((c) => c.split(' ')[0])).toEqual(['start', 'stop']);
  });

  it('a recorder that connects on another node mid-call gets the home’s snapshot in its welcome, then the next commands', async () => {
    await signal('started');
    const recordingId = bus.desired.get('cc/alice')!.snapshot!.recordingId;
    const { socket } = await connectRecorder(recorderNode);
    expect(socket.welcome()?.desired).toEqual({ recordingId, callUuid: 'CALL-1', state: 'recording' });
    await signal('paused');
    expect(socket.commands()).toEqual([`pause ${recordingId.slice(0, 8)}`]);
  });

  it('a command heard while the hello’s snapshot read is on its way is applied after the welcome, not lost', async () => {
    let answer!: () => void;
    bus.slowAttach = new Promise((resolve) => (answer = resolve));
    const socket = new FakeSocket();
    const connection = new RecorderConnection(socket, ALICE);
    recorderNode.connected(connection);
    recorderNode.greet(connection, { type: 'hello', clientVersion: '1', platform: 'test', hostname: 'pc' });
    await flush();
    await signal('started'); // published after the read, heard before its answer
    expect(socket.sent).toEqual([]);
    answer();
    await flush();
    expect(socket.welcome()?.desired).toBeNull();
    expect(socket.commands()).toEqual([`start ${shortId()}`]);
  });

  it('duplicates and older messages are dropped', async () => {
    const { socket } = await connectRecorder(recorderNode);
    await signal('started');
    const last = bus.desired.get('cc/alice')!;
    bus.nodes.get('recorder-node')!.command({ ...last, agentKey: 'cc/alice', command: null });
    bus.nodes.get('recorder-node')!.command({ ...last, seq: last.seq - 1, agentKey: 'cc/alice', command: null });
    expect(socket.commands()).toHaveLength(1);
  });

  it('an agent homed on the recorder’s own node goes the local way (nothing routed)', async () => {
    const { socket } = await connectRecorder(home);
    await signal('started');
    expect(socket.commands().map((c) => c.split(' ')[0])).toEqual(['start']);
    expect(bus.presence.get('cc/alice')).toBe('home');
  });

  describe('a new home taking over the agent (its previous home drained or died)', () => {
    let newHome: RecordersService;
    beforeEach(() => (newHome = node('new-home')));
    afterEach(() => newHome.closeAll());
    const takeoverSignal = (type: SignalType) => signalOn(newHome, type);

    it('continues a recording call as it is: no second start', async () => {
      const { socket } = await connectRecorder(recorderNode);
      await signal('started');
      // The new home learns the call from its own SIP Server registration.
      newHome.onCallSnapshot(AGENT, [{ callUuid: 'CALL-1', connId: 'c1', state: 'recording', partitions: [] }]);
      await flush();
      await takeoverSignal('stopped');
      const id = shortId();
      expect(socket.commands()).toEqual([`start ${id}`, `stop ${id}`]);
    });

    it('continues a paused call paused: never a start during the pause, a resume when it resumes', async () => {
      const { socket } = await connectRecorder(recorderNode);
      await signal('started');
      await signal('paused');
      await takeoverSignal('paused'); // a recording first learned paused (RecordingEvent.pausedAtStart)
      await takeoverSignal('resumed');
      const id = shortId();
      expect(socket.commands()).toEqual([`start ${id}`, `pause ${id}`, `resume ${id}`]);
      expect(bus.desired.get('cc/alice')).toMatchObject({ home: 'new-home', snapshot: { state: 'recording' } });
    });

    it('stops the recording when the call it learns of is released (nothing resurrected)', async () => {
      const { socket } = await connectRecorder(recorderNode);
      await signal('started');
      await takeoverSignal('stopped');
      const id = shortId();
      expect(socket.commands()).toEqual([`start ${id}`, `stop ${id}`]);
      expect(bus.desired.get('cc/alice')?.snapshot).toBeNull();
    });

    it('a start derived by a late home after the recording was stopped never reaches the recorder', async () => {
      const { socket } = await connectRecorder(recorderNode);
      await signal('started');
      await signal('stopped');
      // A new home that learned the call from a SIP Server snapshot taken just before its release.
      await takeoverSignal('started');
      const id = shortId();
      expect(bus.desired.get('cc/alice')?.snapshot?.state).toBe('recording'); // what the late home published
      expect(socket.commands()).toEqual([`start ${id}`, `stop ${id}`]);
    });

    it('the same holds when the recorder is on the late home itself', async () => {
      const { socket } = await connectRecorder(newHome);
      await signal('started');
      await signal('stopped');
      await takeoverSignal('started');
      const id = shortId();
      expect(socket.commands()).toEqual([`start ${id}`, `stop ${id}`]);
    });

    it('a call recorded again after a takeover gets a new screen recording, not the stopped one', async () => {
      const { socket } = await connectRecorder(recorderNode);
      await signal('started');
      await takeoverSignal('started'); // continues the previous home's recording
      await takeoverSignal('stopped');
      await takeoverSignal('started'); // the same call's voice recording starts again
      const first = shortId();
      const second = shortId(2);
      expect(socket.commands()).toEqual([`start ${first}`, `stop ${first}`, `start ${second}`]);
    });
  });
});
