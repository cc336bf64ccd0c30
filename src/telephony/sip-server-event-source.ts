import { Logger } from '@nestjs/common';
import type { HostPort } from '../config/host-port';
import { AgentStateRequest, AgentStateResult, CallEventSource, CallEventSourceStatus, PartyRecording, RecordingControlRequest, RecordingControlResult } from './call-event-source';
import { CallStateMachine, LinkLossPolicy } from './call-state/call-state-machine';
import type { DesktopCall, RecordingOperation } from './call-state/desktop-call';
import { DnRegistry, DnStatus } from './dn-registry';
import { LinkListener, LinkLogger, SipServerLink, SipServerLinkOptions } from './link/sip-server-link';
import type { RecordingEventsPort } from './recording-events';
import { AgentWorkMode, KvList, PrivateMsgId, RecordingMsgId, TlibMessage } from './tlib/tlib-messages';
import type { TlibResult } from './link/tlib-request';

/** Settings of the SIP Server source. */
export interface SipServerSourceOptions {
  addresses: HostPort[];
  link?: Partial<Omit<SipServerLinkOptions, 'addresses'>>;
  linkLossPolicy?: LinkLossPolicy;
  /** Delay that coalesces resync requests (several gaps in a burst cause one round of queries). */
  resyncDelayMs?: number;
  logger?: LinkLogger;
}

const MSG_ID: Record<RecordingOperation, RecordingMsgId> = {
  StartCallRecording: PrivateMsgId.RecordStart,
  StopCallRecording: PrivateMsgId.RecordStop,
  PauseCallRecording: PrivateMsgId.RecordPause,
  ResumeCallRecording: PrivateMsgId.RecordResume,
};

/**
 * SIP Server as the call event source: the link (primary/backup, reconnects), the DN registrations it
 * needs, and the call state machine fed by the link's in-order stream. After a reconnect every DN is
 * registered again and each EventRegistered rebuilds that DN's calls; after a gap every DN is queried.
 */
export class SipServerEventSource extends CallEventSource implements LinkListener {
  readonly name = 'sipserver';
  readonly link: SipServerLink;
  readonly registry: DnRegistry;
  readonly state: CallStateMachine;
  private readonly logger = new Logger('SipServerSource');
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly resyncDelayMs: number;

  constructor(
    options: SipServerSourceOptions,
    private readonly events: RecordingEventsPort,
  ) {
    super();
    this.resyncDelayMs = options.resyncDelayMs ?? 50;
    // The link calls back only after start(), when the registry and the state machine exist.
    this.link = new SipServerLink({ ...options.link, addresses: options.addresses }, this, options.logger);
    this.registry = new DnRegistry(this.link, { lost: (dn) => this.state.forgetDn(dn) });
    this.state = new CallStateMachine(events, this.registry, options.linkLossPolicy ?? 'pause');
  }

  async start(): Promise<void> {
    this.link.start();
  }

  async stop(): Promise<void> {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.registry.stop();
    await this.link.stop();
  }

  isUp(): boolean {
    return this.link.isUp;
  }

  monitor(dn: string, holder: string): Promise<DnStatus> {
    return this.registry.acquire(dn, holder);
  }

  unmonitor(dn: string, holder: string): Promise<void> {
    return this.registry.release(dn, holder);
  }

  callsOf(dn: string): DesktopCall[] {
    return this.state.callsOf(dn);
  }

  recordingsOf(dn: string): PartyRecording[] {
    return this.state.recordingsOf(dn);
  }

  async controlRecording(request: RecordingControlRequest): Promise<RecordingControlResult> {
    const call = this.state.findCall(request.callUuid);
    if (!call || !call.parties.has(request.dn)) return { kind: 'no-call' };
    const extensions: KvList = { ...(request.extensions ?? {}) };
    if (request.operation === 'StartCallRecording' && extensions.record === undefined) extensions.record = 'source';
    const result = await this.link.request({
      message: 'RequestPrivateService',
      ThisDN: request.dn,
      ConnID: call.connId,
      PrivateMsgID: MSG_ID[request.operation],
      Extensions: extensions,
      ...(request.requester ? { Reasons: { RequestedBy: request.requester } } : {}),
    });
    if (request.operation === 'PauseCallRecording') this.pauseFailSafe(request, result.kind);
    return resultOf(result);
  }

  async changeAgentState(request: AgentStateRequest): Promise<AgentStateResult> {
    const attributes = {
      ThisDN: request.dn,
      ...(request.agentId ? { AgentID: request.agentId } : {}),
      ...(request.workMode ? { AgentWorkMode: AgentWorkMode[request.workMode] } : {}),
      ...(request.reasons ? { Reasons: request.reasons } : {}),
    };
    return resultOf(await this.link.request({ message: `RequestAgent${request.operation}`, ...attributes }));
  }

  agentOn(dn: string): string | undefined {
    return this.state.agentOf(dn);
  }

  findCallUuid(callId: string): string | undefined {
    return this.state.findCall(callId)?.callUuid ?? this.state.findCallByConnId(callId)?.callUuid;
  }

  /**
   * PCI, when in doubt pause: an acknowledged pause pauses the recording at once (GSIP_RECORD=PAUSED may come
   * late or never); a pause whose answer is unknown (timeout, link lost) pauses it too, and the server is asked
   * for the DN's calls, whose report resolves the doubt (ON resumes, PAUSED keeps). A refusal changes nothing:
   * the server said no. A resume is never assumed: only the server's ON resumes.
   */
  private pauseFailSafe(request: RecordingControlRequest, answer: 'ack' | 'error' | 'timeout' | 'link-down'): void {
    if (answer === 'error') return;
    const inDoubt = answer !== 'ack';
    this.state.assumePaused(request.callUuid, request.dn, inDoubt);
    if (inDoubt) this.resyncNeeded('a pause request got no answer');
  }

  status(): CallEventSourceStatus {
    const server = this.link.server;
    return {
      name: this.name,
      up: this.link.isUp,
      server: server ? { address: server.address, serverStartTime: server.serverStartTime, serverName: server.serverName } : undefined,
      dns: this.registry.list(),
      calls: this.state.callCount,
    };
  }

  // ---- LinkListener ----

  linkUp(): void {
    this.events.publish({ kind: 'link', up: true, at: Date.now() });
    this.registry.linkUp();
  }

  linkDown(reason: string): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    this.registry.linkDown();
    this.state.linkDown();
    this.events.publish({ kind: 'link', up: false, reason, at: Date.now() });
  }

  message(message: TlibMessage): void {
    this.state.apply(message);
  }

  resyncNeeded(reason: string): void {
    if (this.resyncTimer || !this.link.isUp) return;
    this.logger.log({ msg: 'rebuilding call state from the server', reason });
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      void this.registry.queryAll();
    }, this.resyncDelayMs);
  }
}

/** A link request's outcome as the source reports it. */
function resultOf(result: TlibResult): AgentStateResult {
  switch (result.kind) {
    case 'ack':
      return { kind: 'ok' };
    case 'error':
      return { kind: 'refused', errorCode: result.errorCode, errorMessage: result.errorMessage };
    case 'timeout':
      return { kind: 'timeout', timeoutMs: result.timeoutMs };
    case 'link-down':
      return { kind: 'link-down' };
  }
}
