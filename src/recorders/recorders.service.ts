import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RwsException } from '../common/errors/rws.exception';
import { AgentSessionPort } from './agent-session.port';
import { AgentSettingsPort } from './agent-settings.port';
import { CommandDelivery } from './command-delivery';
import { DesiredScreen, DesiredStateRegistry, ScreenTransition } from './desired-state-registry';
import type { RecorderConnection } from './recorder-connection';
import { RecorderGoneReason, RecorderMetrics } from './recorder-metrics';
import type { AckMessage, CommandAction, CommandMessage, DesiredSnapshot, HelloMessage, ProtocolErrorCode, StatusMessage, WelcomeMessage } from './recorder-protocol';
import { RecorderCloseCode } from './recorder-protocol';
import { RecorderRegistry } from './recorder-registry';
import type { ActiveRecording, AgentRecordingsSnapshot, AgentRef, RecordingSignal } from './recording-signals';
import { agentKeyOf } from './recording-signals';
import { RecorderRelease, ReleaseAnnouncements } from './release-announcements';
import { ScreenRecordingRegistry, ScreenRecordingOutcome } from './screen-recording-registry.port';

/** Heartbeat sweep slices: each tick pings 1/10 of the recorders, so heartbeat cost stays flat. */
const HEARTBEAT_SLICES = 10;

/** What one connected recorder looks like from outside (diagnostics, tests). */
export interface ConnectedRecorder {
  sessionId: string;
  userName: string;
  clientVersion: string;
  platform: string;
  hostname: string;
  agentId?: string;
  /** When the connection opened (ISO 8601). */
  connectedAt: string;
  lastStatus?: { state: string; recordingId?: string };
  /** When the last status arrived (ISO 8601). */
  lastStatusAt?: string;
  pendingCommand?: { commandId: string; action: CommandAction; attempts: number };
}

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
  /** Per screen recording: its metadata writes, in event order (a stop must never land before its create). */
  private readonly writes = new Map<string, Promise<void>>();
  /** Per screen recording whose create is being written: its commands, held until the metadata exists. */
  private readonly held = new Map<string, Promise<void>>();
  /** Telephony inputs and hellos waiting for an agent's recordingWhen; applied strictly in arrival order. */
  private inputTail: Promise<void> = Promise.resolve();
  private pendingInputs = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: AgentSettingsPort,
    private readonly sessions: AgentSessionPort,
    private readonly screenRecordings: ScreenRecordingRegistry,
    private readonly metrics: RecorderMetrics,
  ) {
    this.heartbeatIntervalMs = config.recorders.heartbeatIntervalMs;
    this.desiredState = new DesiredStateRegistry(settings);
    settings.onChange((userName) => this.onAgentSettingsChanged(userName));
    this.delivery = new CommandDelivery(config.recorders.commandResendMs, {
      sent: (c) => metrics.sent(c.action),
      resent: () => metrics.commandsResent.inc(),
      acked: (_c, ok, latencyMs) => metrics.acked(ok, latencyMs),
    });
    metrics.observeInFlight(() => this.delivery.inFlight);
  }

  // ---- telephony input (recording-signals.ts) ----

  /** A voice recording started, paused, resumed or stopped for one recorded agent. */
  onSignal(signal: RecordingSignal): void {
    this.whenSettingsKnown([signal.agent], () => this.send(this.desiredState.apply(signal)));
  }

  /** Telephony rebuilt one agent's calls (after a gap, or its session changed): recomputed, never replayed. */
  onCallSnapshot(agent: AgentRef, recordings: ActiveRecording[], at = new Date().toISOString()): void {
    this.whenSettingsKnown([agent], () => this.send(this.desiredState.replaceCalls(agent, recordings, at)));
  }

  /** Telephony rebuilt every agent's calls (after a switchover): agents not listed have no recorded call. */
  onFullSnapshot(snapshots: AgentRecordingsSnapshot[], at = new Date().toISOString()): void {
    this.whenSettingsKnown(
      snapshots.map((s) => s.agent),
      () => this.send(this.desiredState.replaceAll(snapshots, at)),
    );
  }

  /** A user's settings changed on this node (ops user API): read `recordingWhen` again and apply it at once. */
  onAgentSettingsChanged(userName: string): void {
    for (const agent of this.desiredState.agentsNamed(userName)) {
      this.whenSettingsKnown([agent], () => this.send(this.desiredState.refresh(agent, new Date().toISOString())), true);
    }
  }

  /** The desired-state snapshot of an agent (what a recorder connecting now would get). */
  desiredFor(agent: AgentRef): DesiredSnapshot | null {
    return this.desiredState.snapshot(agentKeyOf(agent));
  }

  // ---- client updates (api.md §7) ----

  /** A new recorder build: pushes `update-available` to connected recorders of that platform that are behind. */
  announceRelease(release: RecorderRelease): number {
    const frame = this.releases.publish(release);
    if (!frame) return 0;
    let notified = 0;
    for (const connection of this.recorders.recorders()) {
      const hello = connection.hello!;
      if (hello.platform === release.platform && ReleaseAnnouncements.behind(hello.clientVersion, release)) {
        connection.send(frame);
        notified++;
      }
    }
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
    this.whenSettingsKnown([agent], () => this.welcome(connection, hello));
  }

  private welcome(connection: RecorderConnection, hello: HelloMessage): void {
    if (!connection.open) return;
    const agent = connection.agent;
    this.send(this.desiredState.refresh(agent, new Date().toISOString()));
    const previous = this.recorders.bind(connection);
    if (previous) this.disconnect(previous, RecorderCloseCode.Replaced, 'replaced by a newer connection', 'replaced');
    this.metrics.connected.set(this.recorders.recorderCount);
    const welcome: WelcomeMessage = {
      type: 'welcome',
      sessionId: connection.sessionId,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      agent: { userName: agent.userName, agentId: agent.agentId ?? null },
      desired: this.desiredState.snapshot(connection.agentKey),
    };
    connection.welcomed = true;
    const told = this.desiredState.desired(connection.agentKey);
    if (told) told.toldRecorder = true;
    connection.send(JSON.stringify(welcome));
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
    const desired = this.desiredState.desired(connection.agentKey);
    if (desired && this.held.has(desired.recordingId)) return;
    const correction = this.correctionFor(connection, status);
    if (!correction || connection.lastCorrection === `${correction.action}:${correction.recordingId}`) return;
    connection.lastCorrection = `${correction.action}:${correction.recordingId}`;
    this.logger.warn({ msg: 'recorder diverged from desired state, correcting', userName: connection.agent.userName, reported: status.state, action: correction.action });
    this.delivery.deliver(connection, correction);
    if (correction.action === 'stop' && correction.recordingId !== desired?.recordingId) {
      // A recording RWS no longer wants (e.g. from before a restart, whose stop nobody was left to write):
      // its metadata ends too, so it is never stranded in `recording`. Only the agent's own recording.
      const at = new Date().toISOString();
      const stale = { recordingId: correction.recordingId, ccid: connection.agent.ccid, userName: connection.agent.userName, at };
      void this.write(correction.recordingId, () => this.screenRecordings.changed?.({ ...stale, state: 'stopped' }));
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
    const c = this.recorders.recorderOf(agentKeyOf(agent));
    return c?.hello ? viewOf(c, c.hello) : undefined;
  }

  /** The recorders of one contact center connected to this node, by user name (the operator's console lists them). */
  connectedRecorders(ccid: string): ConnectedRecorder[] {
    const wanted = ccid.toLowerCase();
    const found: ConnectedRecorder[] = [];
    for (const c of this.recorders.recorders()) {
      if (c.hello && c.agent.ccid?.toLowerCase() === wanted) found.push(viewOf(c, c.hello));
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
    if (wasRecorder) this.metrics.connected.set(this.recorders.recorderCount);
  }

  /**
   * Runs `apply` once the recordingWhen of `agents` is fresh (read from the store within the cache period;
   * `force` reads it again regardless). Inputs are applied strictly in arrival order: when nothing is pending
   * and every value is fresh, at once (the usual, synchronous path); otherwise behind the inputs before it,
   * with the reads of all of them running meanwhile.
   */
  private whenSettingsKnown(agents: AgentRef[], apply: () => void, force = false): void {
    const stale = force ? agents : agents.filter((a) => !this.settings.isFresh(a));
    if (stale.length === 0 && this.pendingInputs === 0) return apply();
    const reads = Promise.all(stale.map((a) => this.settings.refresh(a)));
    this.pendingInputs++;
    this.inputTail = Promise.all([this.inputTail, reads])
      .then(apply)
      .catch((err: unknown) => this.logger.error({ msg: 'recorder input failed', error: (err as Error)?.message ?? String(err) }))
      .finally(() => this.pendingInputs--);
  }

  /**
   * Turns transitions into commands and metadata writes. A start's metadata is written BEFORE its command
   * leaves (an upload right after a short recording must find it); the recording's later commands follow the
   * start, never waiting for their own writes (a PCI pause must not wait for a store). Writes of one recording
   * land in event order.
   */
  private send(transitions: ScreenTransition[]): void {
    for (const t of transitions) {
      const recordingId = t.screen.recordingId;
      if (t.action === 'start') {
        const created = this.write(recordingId, () => this.announceCreated(t));
        if (!created) {
          this.deliver(t);
          continue;
        }
        const delivered = created.then(() => this.deliver(t));
        this.held.set(recordingId, delivered);
        void delivered.finally(() => {
          if (this.held.get(recordingId) === delivered) this.held.delete(recordingId);
        });
        continue;
      }
      const pending = this.held.get(recordingId);
      if (pending) {
        const delivered = pending.then(() => this.deliver(t));
        this.held.set(recordingId, delivered);
        void delivered.finally(() => {
          if (this.held.get(recordingId) === delivered) this.held.delete(recordingId);
        });
      } else {
        this.deliver(t);
      }
      // Read when the write runs: by then the start (if still held) has reached the recorder or not.
      void this.write(recordingId, () => this.announceChanged(t));
    }
  }

  /** Sends the transition's command to the agent's recorder as it is connected now (none: nothing to send). */
  private deliver(t: ScreenTransition): void {
    const connection = this.recorders.recorderOf(agentKeyOf(t.agent));
    if (!connection?.open || !connection.welcomed) return;
    if (t.action === 'start' || t.action === 'resume') t.screen.toldRecorder = true;
    const command: CommandMessage = {
      type: 'command',
      commandId: randomUUID(),
      action: t.action,
      recordingId: t.screen.recordingId,
      callUuid: t.screen.callUuid,
      connId: t.screen.connId,
      at: t.at,
    };
    connection.lastCorrection = undefined;
    this.delivery.deliver(connection, command);
  }

  /**
   * Queues one metadata write of a recording behind its earlier ones; the promise settles (never rejects)
   * once it is done. Undefined when the write was synchronous and is done already (an in-memory registry).
   */
  private write(recordingId: string, task: () => Promise<void> | void): Promise<void> | undefined {
    const failed = (err: unknown) => {
      // Logged, never blocking: a start whose create failed still reaches the recorder (better recorded than not).
      this.logger.error({ msg: 'screen recording registry failed', recordingId, error: (err as Error)?.message ?? String(err) });
    };
    const previous = this.writes.get(recordingId);
    if (!previous) {
      let result: Promise<void> | void;
      try {
        result = task();
      } catch (err) {
        failed(err);
        return undefined;
      }
      if (!(result instanceof Promise)) return undefined;
      return this.track(recordingId, result.catch(failed));
    }
    return this.track(recordingId, previous.then(task).catch(failed));
  }

  private track(recordingId: string, done: Promise<void>): Promise<void> {
    this.writes.set(recordingId, done);
    void done.then(() => {
      if (this.writes.get(recordingId) === done) this.writes.delete(recordingId);
    });
    return done;
  }

  private announceCreated(t: ScreenTransition): Promise<void> | void {
    return this.screenRecordings.created({
      recordingId: t.screen.recordingId,
      ccid: t.agent.ccid,
      userName: t.agent.userName,
      agentId: t.agent.agentId,
      callUuid: t.screen.callUuid,
      connId: t.screen.connId,
      partitions: t.screen.partitions,
      startedAt: t.screen.startedAt,
    });
  }

  private announceChanged(t: ScreenTransition): Promise<void> | void {
    const outcome: ScreenRecordingOutcome =
      t.action === 'pause' ? { state: 'paused' } : t.action === 'resume' ? { state: 'recording' } : stopOutcome(t.screen);
    return this.screenRecordings.changed?.({ recordingId: t.screen.recordingId, ccid: t.agent.ccid, at: t.at, ...outcome });
  }

  private correctionFor(connection: RecorderConnection, status: StatusMessage): CommandMessage | undefined {
    const desired = this.desiredState.desired(connection.agentKey);
    const { state, recordingId } = status;
    if (!desired) {
      // Holding a recording RWS no longer wants (e.g. a stop that never arrived): stop it.
      return (state === 'recording' || state === 'paused') && recordingId ? this.command('stop', recordingId, '', '') : undefined;
    }
    const same = recordingId === desired.recordingId;
    let action: CommandAction | undefined;
    if (desired.state === 'paused') {
      // PCI: recording anything while RWS wants a pause; `pause` of the desired id converges from any state.
      if (state === 'recording') action = 'pause';
    } else if (state === 'idle' || (!same && (state === 'recording' || state === 'paused'))) {
      action = 'start';
    } else if (state === 'paused') {
      action = 'resume';
    }
    return action && this.command(action, desired.recordingId, desired.callUuid, desired.connId);
  }

  private command(action: CommandAction, recordingId: string, callUuid: string, connId: string): CommandMessage {
    return { type: 'command', commandId: randomUUID(), action, recordingId, callUuid, connId, at: new Date().toISOString() };
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

/** A stop of a screen recording no recorder was ever told about: no media can exist, it is missing. */
function stopOutcome(screen: DesiredScreen): ScreenRecordingOutcome {
  return screen.toldRecorder ? { state: 'stopped' } : { state: 'missing', reason: 'no-recorder-connected' };
}

function viewOf(c: RecorderConnection, hello: HelloMessage): ConnectedRecorder {
  return {
    sessionId: c.sessionId,
    userName: c.agent.userName,
    agentId: c.agent.agentId,
    clientVersion: hello.clientVersion,
    platform: hello.platform,
    hostname: hello.hostname,
    connectedAt: new Date(c.connectedAt).toISOString(),
    lastStatus: c.lastStatus && { state: c.lastStatus.state, recordingId: c.lastStatus.recordingId },
    lastStatusAt: c.lastStatus && new Date(c.lastStatus.at).toISOString(),
    pendingCommand: c.outstanding && { commandId: c.outstanding.command.commandId, action: c.outstanding.command.action, attempts: c.outstanding.attempts },
  };
}
