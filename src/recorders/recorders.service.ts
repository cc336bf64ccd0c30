import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RwsException } from '../common/errors/rws.exception';
import { AgentSessionPort } from './agent-session.port';
import { AgentSettingsPort } from './agent-settings.port';
import { CommandDelivery } from './command-delivery';
import { correctionFor, DesiredTarget, newCommand } from './desired-convergence';
import { DesiredStateRegistry, ScreenTransition } from './desired-state-registry';
import type { ConnectedRecorder, RecorderConnection } from './recorder-connection';
import { RecorderGoneReason, RecorderMetrics } from './recorder-metrics';
import type { AckMessage, CommandMessage, DesiredSnapshot, HelloMessage, ProtocolErrorCode, StatusMessage, WelcomeMessage } from './recorder-protocol';
import { RecorderCloseCode } from './recorder-protocol';
import { RecorderRegistry } from './recorder-registry';
import type { ActiveRecording, AgentRecordingsSnapshot, AgentRef, RecordingSignal } from './recording-signals';
import { agentKeyOf } from './recording-signals';
import { LocalRecorderRouting, RecorderRouting } from './recorder-routing.port';
import { RecorderRelease, ReleaseAnnouncements } from './release-announcements';
import { RoutedRecorders } from './routed-recorders';
import { ScreenRecordingRegistry } from './screen-recording-registry.port';
import { ScreenTransitionDispatch } from './screen-transition-dispatch';
import { SettingsGate } from './settings-gate';
import { StoppedRecordings } from './stopped-recordings';

/** Heartbeat sweep slices: each tick pings 1/10 of the recorders, so heartbeat cost stays flat. */
const HEARTBEAT_SLICES = 10;

/**
 * The screen recorder channel's use cases: telephony signals in, desired state per agent, commands out to
 * each agent's one recorder, and the recorder's own messages (hello, ack, status). Transport-free: the
 * gateway turns frames into these calls and owns the sockets.
 */
@Injectable()
export class RecordersService implements OnModuleDestroy {
  private readonly logger = new Logger('Recorders');
  readonly heartbeatIntervalMs: number;
  readonly recorders = new RecorderRegistry(HEARTBEAT_SLICES);
  private readonly desiredState: DesiredStateRegistry;
  private readonly delivery: CommandDelivery;
  private readonly releases = new ReleaseAnnouncements();
  private readonly dispatch: ScreenTransitionDispatch;
  /** Cluster: commands to and from recorders on other nodes (a node alone: every call is a no-op). */
  private readonly routed: RoutedRecorders;
  private readonly routing: RecorderRouting;
  /** Recordings this node told a recorder to stop: never started again (whichever home asks). */
  private readonly stopped = new StoppedRecordings();
  /** Telephony inputs and hellos waiting for an agent's recordingWhen; applied strictly in arrival order. */
  private readonly gate: SettingsGate;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: AgentSettingsPort,
    private readonly sessions: AgentSessionPort,
    screenRecordings: ScreenRecordingRegistry,
    private readonly metrics: RecorderMetrics,
    @Optional() routing?: RecorderRouting,
  ) {
    this.heartbeatIntervalMs = config.recorders.heartbeatIntervalMs;
    this.desiredState = new DesiredStateRegistry(settings);
    this.gate = new SettingsGate(settings);
    settings.onChange((userName) => this.onAgentSettingsChanged(userName));
    this.delivery = new CommandDelivery(config.recorders.commandResendMs, {
      sent: (c) => metrics.sent(c.action),
      resent: () => metrics.commandsResent.inc(),
      acked: (_c, ok, latencyMs) => metrics.acked(ok, latencyMs),
    });
    metrics.observeInFlight(() => this.delivery.inFlight);
    this.dispatch = new ScreenTransitionDispatch(screenRecordings, (t) => this.deliver(t));
    this.routing = routing ?? new LocalRecorderRouting();
    this.routed = new RoutedRecorders(this.routing, this.recorders, (c, command) => this.deliverTo(c, command), this.stopped);
    this.routing.listen({
      command: (message) => this.routed.onCommand(message),
      // A recorder on another node was told (welcome) to record what this home wants.
      report: (r) => {
        const desired = this.desiredState.desired(r.agentKey);
        if (desired?.recordingId === r.recordingId) desired.toldRecorder = true;
      },
      reconnected: () => this.routed.resyncAll(),
    });
  }

  // ---- telephony input (recording-signals.ts) ----

  /** A voice recording started, paused, resumed or stopped for one recorded agent. */
  onSignal(signal: RecordingSignal): void {
    const voice = signal.mediaType === undefined || signal.mediaType === 'voice';
    const seed = voice ? this.clusterDesired(signal.agent) : undefined;
    this.gate.whenKnown([signal.agent], () => this.dispatch.send(this.desiredState.apply(signal)), false, seed);
  }

  /** Telephony rebuilt one agent's calls (after a gap, or its session changed): recomputed, never replayed. */
  onCallSnapshot(agent: AgentRef, recordings: ActiveRecording[], at = new Date().toISOString()): void {
    // An empty snapshot of an agent not followed here changes nothing (e.g. a session taken over, before its calls are known).
    const seed = recordings.length > 0 ? this.clusterDesired(agent) : undefined;
    this.gate.whenKnown([agent], () => this.dispatch.send(this.desiredState.replaceCalls(agent, recordings, at)), false, seed);
  }

  /** Telephony rebuilt every agent's calls (after a switchover): agents not listed have no recorded call. */
  onFullSnapshot(snapshots: AgentRecordingsSnapshot[], at = new Date().toISOString()): void {
    this.gate.whenKnown(
      snapshots.map((s) => s.agent),
      () => this.dispatch.send(this.desiredState.replaceAll(snapshots, at)),
    );
  }

  /** A user's settings changed on this node (ops user API): read `recordingWhen` again and apply it at once. */
  onAgentSettingsChanged(userName: string): void {
    for (const agent of this.desiredState.agentsNamed(userName)) {
      this.gate.whenKnown([agent], () => this.dispatch.send(this.desiredState.refresh(agent, new Date().toISOString())), true);
    }
  }

  /**
   * Cluster: for an agent this node does not follow yet (it just became its home), a read of the desired state
   * its previous home published; seeds the registry just before the input is applied, so a takeover continues
   * the same recording in the same state instead of starting it again. Undefined: nothing to read.
   */
  private clusterDesired(agent: AgentRef): Promise<() => void> | undefined {
    const key = agentKeyOf(agent);
    if (!this.routing.enabled || this.desiredState.follows(key)) return undefined;
    return this.routing.peek(key).then(
      (desired) => () => {
        if (desired?.snapshot) this.desiredState.seed(agent, desired.snapshot, new Date().toISOString());
      },
      (err: Error) => {
        this.logger.warn({ msg: 'desired state of the previous home not read: derived from telephony alone', userName: agent.userName, error: err.message });
        return () => undefined;
      },
    );
  }

  /** The desired-state snapshot of an agent (what a recorder connecting now would get). */
  desiredFor(agent: AgentRef): DesiredSnapshot | null {
    return this.desiredState.snapshot(agentKeyOf(agent));
  }

  // ---- client updates (api.md §7) ----

  /** A new recorder build: pushes `update-available` to connected recorders of that platform that are behind. */
  announceRelease(release: RecorderRelease): number {
    const notified = this.releases.announce(release, this.recorders.recorders());
    this.logger.log({ msg: 'recorder release announced', version: release.version, platform: release.platform, notified });
    return notified;
  }

  // ---- recorder connections (called by the gateway) ----

  /** A connection passed authentication and the upgrade. */
  connected(connection: RecorderConnection): void {
    this.recorders.add(connection);
  }

  /** `hello`: the connection becomes the agent's recorder and gets the desired-state snapshot. */
  greet(connection: RecorderConnection, hello: HelloMessage): void {
    if (connection.greeted) return this.refuse(connection, 'already-greeted', 'hello was already received on this connection.');
    const agent = connection.agent;
    if ((hello.userName && hello.userName !== agent.userName) || (hello.agentId && agent.agentId && hello.agentId !== agent.agentId)) {
      this.logger.warn({ msg: 'recorder hello names another agent', userName: agent.userName, claimed: hello.userName ?? hello.agentId });
      this.refuse(connection, 'agent-mismatch', 'hello names another agent than the credentials.');
      return this.disconnect(connection, RecorderCloseCode.PolicyViolation, 'hello names another agent', 'policy');
    }
    connection.hello = hello;
    // The welcome snapshot must reflect recordingWhen as the store has it now (e.g. turned off since).
    this.gate.whenKnown([agent], () => {
      // On a cluster the agent may be homed on another node: its desired state comes from there first.
      if (!this.routed.enabled) return this.welcome(connection, hello);
      this.routed.attachThen(connection, () => this.welcome(connection, hello)).catch((err: Error) => this.logger.error({ msg: 'recorder welcome failed', error: err.message }));
    });
  }

  private welcome(connection: RecorderConnection, hello: HelloMessage): void {
    if (!connection.open) return;
    const agent = connection.agent;
    this.dispatch.send(this.desiredState.refresh(agent, new Date().toISOString()));
    const previous = this.recorders.bind(connection);
    if (previous) this.disconnect(previous, RecorderCloseCode.Replaced, 'replaced by a newer connection', 'replaced');
    this.metrics.connected.set(this.recorders.recorderCount);
    const welcome: WelcomeMessage = {
      type: 'welcome',
      sessionId: connection.sessionId,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      agent: { userName: agent.userName, agentId: agent.agentId ?? null },
      desired: this.desiredState.snapshot(connection.agentKey) ?? this.routed.remoteSnapshot(connection) ?? null,
    };
    // A recording this node told the recorder to stop is not offered again (a stale home's snapshot).
    if (welcome.desired && this.stopped.has(connection.agentKey, welcome.desired.recordingId)) welcome.desired = null;
    connection.welcomed = true;
    const told = this.desiredState.desired(connection.agentKey);
    if (told) told.toldRecorder = true;
    connection.send(JSON.stringify(welcome));
    this.routed.welcomed(connection);
    this.logger.log({ msg: 'recorder connected', userName: agent.userName, sessionId: connection.sessionId, clientVersion: hello.clientVersion, platform: hello.platform, replaced: previous?.sessionId, desired: welcome.desired?.state ?? null });
    const update = this.releases.offerFor(hello.platform, hello.clientVersion);
    if (update) connection.send(update);
    if (hello.place !== undefined || hello.devices !== undefined) this.startSession(connection, hello);
  }

  /** `ack` of a command. */
  acknowledge(connection: RecorderConnection, ack: AckMessage): void {
    if (!connection.greeted) return this.refuse(connection, 'hello-required', 'Send hello first.');
    this.delivery.acknowledge(connection, ack);
  }

  /**
   * `status`: recorded; and when nothing is in flight and the recorder is recording where RWS wants it
   * paused or stopped (or idle where it should record), one corrective command is sent — once per divergence,
   * so a recorder that cannot comply is not asked in a loop.
   */
  recordStatus(connection: RecorderConnection, status: StatusMessage): void {
    if (!connection.greeted) return this.refuse(connection, 'hello-required', 'Send hello first.');
    connection.lastStatus = { state: status.state, recordingId: status.recordingId, at: Date.now() };
    // Before its welcome the recorder cannot know what RWS wants: nothing to correct yet.
    if (connection.outstanding || !connection.welcomed) return;
    // A start held until its metadata exists is on its way: correcting now would send it twice.
    const desired: DesiredTarget | null = this.desiredState.desired(connection.agentKey) ?? this.routed.remoteDesired(connection) ?? null;
    if (desired && this.dispatch.isHeld(desired.recordingId)) return;
    const correction = correctionFor(desired, status);
    if (!correction || connection.lastCorrection === `${correction.action}:${correction.recordingId}`) return;
    connection.lastCorrection = `${correction.action}:${correction.recordingId}`;
    if (!this.admitted(connection, correction)) return;
    this.logger.warn({ msg: 'recorder diverged from desired state, correcting', userName: connection.agent.userName, reported: status.state, action: correction.action });
    this.delivery.deliver(connection, correction);
    if (correction.action === 'stop' && correction.recordingId !== desired?.recordingId) {
      // A recording RWS no longer wants (e.g. from before a restart, whose stop nobody was left to write):
      // its metadata ends too, so it is never stranded in `recording`. Only the agent's own recording.
      this.dispatch.endStale(correction.recordingId, connection.agent);
    }
  }

  /** Closes a connection for a reason (no-op if already closing); its bookkeeping ends at once. */
  disconnect(connection: RecorderConnection, code: number, reason: string, gone: RecorderGoneReason, terminate = false): void {
    if (connection.goneReason !== undefined) return;
    connection.goneReason = gone;
    if (terminate) connection.socket.terminate();
    else connection.socket.close(code, reason);
    this.forget(connection);
  }

  /** The socket closed (any cause). */
  closed(connection: RecorderConnection): void {
    if (connection.goneReason === undefined) connection.goneReason = 'closed';
    this.forget(connection);
  }

  /** Sends an `error` frame and counts it. */
  refuse(connection: RecorderConnection, code: ProtocolErrorCode, message: string): void {
    this.metrics.refusedFrames.inc({ code });
    connection.send(JSON.stringify({ type: 'error', code, message }));
  }

  /** One heartbeat slice: ping each connection, close the silent and those that never said hello. */
  heartbeat(slice: number): void {
    const helloDeadline = Date.now() - 2 * this.heartbeatIntervalMs;
    for (const connection of this.recorders.slice(slice)) {
      if (!connection.greeted && connection.connectedAt < helloDeadline) {
        this.disconnect(connection, RecorderCloseCode.HelloTimeout, 'hello expected', 'hello-timeout');
      } else if (connection.missedPongs >= 2) {
        this.logger.warn({ msg: 'recorder missed its pongs, terminated', userName: connection.agent.userName, sessionId: connection.sessionId });
        this.disconnect(connection, 0, '', 'heartbeat', true);
      } else {
        connection.missedPongs++;
        connection.socket.ping();
      }
    }
  }

  /** Recorders with a command not yet acknowledged. */
  pendingCommands(): number {
    return this.delivery.inFlight;
  }

  /** The agent's recorder as seen from outside (undefined when none is connected). */
  recorderOf(agent: AgentRef): ConnectedRecorder | undefined {
    return this.recorders.recorderOf(agentKeyOf(agent))?.view();
  }

  /** The recorders of one contact center connected to this node, by user name (the operator's console lists them). */
  connectedRecorders(ccid: string): ConnectedRecorder[] {
    const wanted = ccid.toLowerCase();
    const found: ConnectedRecorder[] = [];
    for (const c of this.recorders.recorders()) {
      const view = c.agent.ccid?.toLowerCase() === wanted ? c.view() : undefined;
      if (view) found.push(view);
    }
    return found.sort((a, b) => a.userName.localeCompare(b.userName));
  }

  /** Closes every connection (shutdown); peers that do not answer the close are cut after a second. */
  closeAll(): void {
    const closing: RecorderConnection[] = [];
    for (let s = 0; s < this.recorders.sliceCount; s++) closing.push(...this.recorders.slice(s));
    for (const connection of closing) this.disconnect(connection, RecorderCloseCode.GoingAway, 'server shutting down', 'shutdown');
    this.delivery.close();
    if (closing.length) setTimeout(() => closing.forEach((c) => c.socket.terminate()), 1000).unref();
  }

  onModuleDestroy(): void {
    this.closeAll();
  }

  private forget(connection: RecorderConnection): void {
    this.delivery.forget(connection);
    const wasRecorder = this.recorders.remove(connection);
    if (!connection.counted) {
      connection.counted = true;
      this.metrics.gone.inc({ reason: connection.goneReason ?? 'closed' });
    }
    if (wasRecorder) {
      this.metrics.connected.set(this.recorders.recorderCount);
      this.routed.detach(connection);
    }
  }

  /** Sends the transition's command to the agent's recorder: here, or (cluster) through its published desired state. */
  private deliver(t: ScreenTransition): void {
    const agentKey = agentKeyOf(t.agent);
    const command = newCommand(t.action, t.screen.recordingId, t.screen.callUuid, t.screen.connId, t.at);
    const connection = this.recorders.recorderOf(agentKey);
    if (connection?.open && connection.welcomed) {
      if (t.action === 'start' || t.action === 'resume') t.screen.toldRecorder = true;
      this.deliverTo(connection, command);
    }
    this.routed.publish(t, this.desiredState.desired(agentKey), command);
  }

  private deliverTo(connection: RecorderConnection, command: CommandMessage): void {
    if (!this.admitted(connection, command)) return;
    connection.lastCorrection = undefined;
    this.delivery.deliver(connection, command);
  }

  /** Whether a command may go to the recorder: never one that reopens a recording it was told to stop. */
  private admitted(connection: RecorderConnection, command: CommandMessage): boolean {
    if (this.stopped.admit(connection.agentKey, command)) {
      if (command.action === 'stop') this.routing.rememberStop(connection.agentKey, command.recordingId);
      return true;
    }
    this.logger.warn({ msg: 'command of a recording already stopped not sent', userName: connection.agent.userName, action: command.action, recordingId: command.recordingId });
    return false;
  }

  private startSession(connection: RecorderConnection, hello: HelloMessage): void {
    this.sessions.startSession(connection.principal, hello.place, hello.devices ?? []).catch((err: unknown) => {
      this.logger.warn({ msg: 'agent session from recorder hello failed', userName: connection.agent.userName, error: (err as Error)?.message ?? String(err) });
      // A refusal of the place or devices (404/403/409) says why; anything else stays generic.
      const reason = err instanceof RwsException ? ` ${err.message}` : '';
      this.refuse(connection, 'session-failed', `The agent session could not be started from hello.${reason}`);
    });
  }
}
