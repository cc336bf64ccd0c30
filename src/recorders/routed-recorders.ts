import { Logger } from '@nestjs/common';
import { commandToConverge } from './desired-convergence';
import type { DesiredScreen, ScreenTransition } from './desired-state-registry';
import type { RecorderConnection } from './recorder-connection';
import type { CommandMessage, DesiredSnapshot } from './recorder-protocol';
import type { StoppedRecordings } from './stopped-recordings';
import type { RecorderRegistry } from './recorder-registry';
import { RecorderAttachment, RecorderRouting, RoutedCommand, RoutedDesired, RoutedSnapshot } from './recorder-routing.port';
import { agentKeyOf } from './recording-signals';

/** Commands heard for an agent while its recorder's snapshot is being read, applied once it is known. */
interface Attaching {
  inFlight: number;
  heard: RoutedCommand[];
}

/**
 * The recorder node's side of routed commands (docs/cluster.md): for an agent homed on another node, the
 * recorder here gets the home's commands in `seq` order, exactly once; on a gap, a Redis reconnect or its
 * hello it converges from the snapshot the home published instead (level-triggered: a lost message can delay
 * a command, never lose a stop). Agents homed on this node never come through here.
 */
export class RoutedRecorders {
  private readonly logger = new Logger('RoutedRecorders');
  private readonly attaching = new Map<string, Attaching>();

  constructor(
    private readonly routing: RecorderRouting,
    private readonly recorders: RecorderRegistry,
    private readonly deliver: (connection: RecorderConnection, command: CommandMessage) => void,
    private readonly stopped: StoppedRecordings,
  ) {}

  get enabled(): boolean {
    return this.routing.enabled;
  }

  /**
   * Says the agent's recorder is here, reads what its home published, then runs `welcome`; commands heard
   * meanwhile are applied after it, in `seq` order. With the link down the welcome uses what this node knows,
   * and the reconnect converges the rest.
   */
  async attachThen(connection: RecorderConnection, welcome: () => void): Promise<void> {
    const key = connection.agentKey;
    const state = this.attaching.get(key) ?? { inFlight: 0, heard: [] };
    state.inFlight++;
    this.attaching.set(key, state);
    try {
      const { desired } = this.learn(key, await this.routing.attach(key));
      if (desired) this.adopt(connection, desired);
    } catch (err) {
      this.logger.warn({ msg: 'recorder snapshot not read: cluster link down (converges when it is back)', userName: connection.agent.userName, error: (err as Error).message });
    }
    try {
      welcome();
    } finally {
      // Whether or not the welcome went out (the socket may have closed meanwhile), nothing stays held.
      if (--state.inFlight === 0 && this.attaching.get(key) === state) {
        this.attaching.delete(key);
        for (const message of state.heard.sort((a, b) => a.seq - b.seq)) this.onCommand(message);
      }
    }
  }

  /** The desired state another node published for the connection's agent (undefined: none, or homed here). */
  remoteDesired(connection: RecorderConnection): RoutedSnapshot | null | undefined {
    return this.isRemote(connection) ? (connection.routed ?? null) : undefined;
  }

  /** remoteDesired as the welcome names it (without the ConnID). */
  remoteSnapshot(connection: RecorderConnection): DesiredSnapshot | null | undefined {
    const s = this.remoteDesired(connection);
    return s && { recordingId: s.recordingId, callUuid: s.callUuid, state: s.state };
  }

  /** The welcome went out: tells the home what its recorder was told. */
  welcomed(connection: RecorderConnection): void {
    if (this.isRemote(connection) && connection.routed) this.routing.report(connection.routedHome!, { agentKey: connection.agentKey, recordingId: connection.routed.recordingId });
  }

  /** A routed command or snapshot for an agent whose recorder is (or was) connected here. */
  onCommand(message: RoutedCommand): void {
    const waiting = this.attaching.get(message.agentKey);
    if (waiting) {
      waiting.heard.push(message);
      return;
    }
    const connection = this.recorders.recorderOf(message.agentKey);
    if (!connection?.open || !connection.welcomed || message.home === this.routing.nodeId) return;
    // One sequence per agent in Redis, whichever node is its home (a new home after a takeover continues it).
    const last = connection.routedSeq;
    if (last !== undefined && message.seq <= last) return; // a duplicate or an older message: already applied
    const inOrder = last !== undefined && message.seq === last + 1 && message.command !== null;
    const told = connection.routed ?? null;
    const command = inOrder ? message.command! : commandToConverge(told, message.snapshot);
    if (!inOrder) this.logger.log({ msg: 'recorder converges from the snapshot', userName: connection.agent.userName, seq: message.seq, last });
    this.adopt(connection, message);
    if (command) this.deliver(connection, command);
    // A command in sequence was sent here by the home's own publish, which told the home so: only a
    // convergence (a start the home never saw reach this node) needs a report back.
    if (!inOrder && message.snapshot && command && command.action !== 'stop') this.routing.report(message.home, { agentKey: message.agentKey, recordingId: message.snapshot.recordingId });
  }

  /** The link is back: every recorder here re-announces itself and converges to its home's snapshot. */
  resyncAll(): void {
    for (const connection of [...this.recorders.recorders()]) {
      if (!connection.welcomed) continue;
      void this.routing
        .attach(connection.agentKey)
        .then((attachment) => {
          const { desired } = this.learn(connection.agentKey, attachment);
          if (!desired || desired.home === this.routing.nodeId || !connection.open) return;
          this.onCommand({ ...desired, agentKey: connection.agentKey, command: null });
        })
        .catch((err: Error) => this.logger.warn({ msg: 'recorder resync failed', userName: connection.agent.userName, error: err.message }));
    }
  }

  /** Home: publishes the agent's desired state after a transition, with its command for a recorder on another node. */
  publish(t: ScreenTransition, desired: DesiredScreen | null, command: CommandMessage): void {
    if (!this.routing.enabled) return;
    const snapshot = desired && { recordingId: desired.recordingId, callUuid: desired.callUuid, connId: desired.connId, state: desired.state };
    void this.routing.publish(agentKeyOf(t.agent), snapshot, command).then((node) => {
      // Sent to the recorder's node: the recorder was told (its recording ends `stopped`, not `missing`).
      if (node && (t.action === 'start' || t.action === 'resume')) t.screen.toldRecorder = true;
    });
  }

  /** The agent's recorder left this node. */
  detach(connection: RecorderConnection): void {
    this.routing.detach(connection.agentKey);
  }

  /** The stops other nodes sent the agent's recorder count here too: a late home's snapshot of one is never offered. */
  private learn(agentKey: string, attachment: RecorderAttachment): RecorderAttachment {
    for (const recordingId of attachment.stopped) this.stopped.remember(agentKey, recordingId);
    return attachment;
  }

  /** Remembers what the home published last, as the recorder here now follows it. */
  private adopt(connection: RecorderConnection, desired: RoutedDesired): void {
    connection.routedHome = desired.home;
    connection.routedSeq = desired.seq;
    connection.routed = desired.snapshot;
  }

  private isRemote(connection: RecorderConnection): boolean {
    return connection.routedHome !== undefined && connection.routedHome !== this.routing.nodeId;
  }
}
