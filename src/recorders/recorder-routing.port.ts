import type { CommandMessage, DesiredScreenState } from './recorder-protocol';

/** The desired screen recording as the agent's home publishes it (the welcome snapshot plus the ConnID). */
export interface RoutedSnapshot {
  recordingId: string;
  callUuid: string;
  connId: string;
  state: DesiredScreenState;
}

/** The desired state of one agent as the cluster knows it: `seq` grows by one with each change of the agent. */
export interface RoutedDesired {
  seq: number;
  /** The node that derived it (the agent's home). */
  home: string;
  snapshot: RoutedSnapshot | null;
}

/** A change the home sent to the node holding the agent's recorder: the new desired state, and its command. */
export interface RoutedCommand extends RoutedDesired {
  agentKey: string;
  /** Absent for a snapshot-only message (the home republishing after a Redis outage). */
  command: CommandMessage | null;
}

/** Something the recorder's node tells the home: its recorder was told to record `recordingId` (welcome). */
export interface RecorderReport {
  agentKey: string;
  recordingId: string;
}

/** What a recorder node learns when the agent's recorder attaches there. */
export interface RecorderAttachment {
  /** The desired state last published for the agent (null: none). */
  desired: RoutedDesired | null;
  /** The recordings the agent's recorder was told to stop lately, on any node (see rememberStop). */
  stopped: string[];
}

/** What a node hears from the others. */
export interface RoutingHandlers {
  /** A command (or snapshot) for an agent whose recorder is connected here. */
  command(message: RoutedCommand): void;
  /** A report for an agent homed here. */
  report(report: RecorderReport): void;
  /** The link to the other nodes is back after an outage: what was heard meanwhile may be missing. */
  reconnected(): void;
}

/**
 * Port: recorder commands between the nodes of a cluster (docs/cluster.md). The home of an agent publishes each
 * change of its desired state (`publish`); the node holding the agent's recorder announces it (`attach`) and
 * gets the commands in `seq` order, or the snapshot to converge to. Best effort underneath (pub/sub): the
 * snapshot read at each attach, gap and reconnect is what makes it converge. A node alone binds LocalRecorderRouting.
 */
export abstract class RecorderRouting {
  /** False on a node alone: nothing goes anywhere, every call is a no-op. */
  abstract readonly enabled: boolean;
  /** This node's id (the `home` of what it publishes). */
  abstract readonly nodeId: string;
  abstract listen(handlers: RoutingHandlers): void;
  /**
   * Home: the agent's desired state changed (with the command that says so, if any). Resolves to the node the
   * command was sent to (undefined when the recorder is on no other node). Never rejects: while the link is
   * down the change is kept and republished when it is back.
   */
  abstract publish(agentKey: string, snapshot: RoutedSnapshot | null, command: CommandMessage | null): Promise<string | undefined>;
  /**
   * Recorder node: the agent's recorder is here now; resolves to the desired state last published and the
   * recordings it was told to stop lately, or rejects when the link is down.
   */
  abstract attach(agentKey: string): Promise<RecorderAttachment>;
  /**
   * Home: the desired state last published for the agent by any home (null: none), read before this node
   * derives anything for an agent it did not follow yet (a takeover continues it, never restarts it); rejects
   * when the link is down.
   */
  abstract peek(agentKey: string): Promise<RoutedDesired | null>;
  /** Recorder node: the agent's recorder left this node. */
  abstract detach(agentKey: string): void;
  /**
   * Recorder node: the agent's recorder was told to stop `recordingId`. Kept for every node (a while), so that a
   * recorder reconnecting elsewhere is never offered that finished recording again by a late home. Best effort.
   */
  abstract rememberStop(agentKey: string, recordingId: string): void;
  /** Recorder node: tells the agent's home something it needs. */
  abstract report(home: string, report: RecorderReport): void;
}

/** A node alone: its recorders and its agents' desired state are all in this process. */
export class LocalRecorderRouting extends RecorderRouting {
  readonly enabled = false;
  readonly nodeId = 'local';
  listen(): void {}
  async publish(): Promise<string | undefined> {
    return undefined;
  }
  async attach(): Promise<RecorderAttachment> {
    return { desired: null, stopped: [] };
  }
  async peek(): Promise<RoutedDesired | null> {
    return null;
  }
  detach(): void {}
  rememberStop(): void {}
  report(): void {}
}
