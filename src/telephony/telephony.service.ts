import { Injectable } from '@nestjs/common';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { AgentStateRequest, AgentStateResult, CallEventSource } from './call-event-source';
import type { DesktopCall, RecordingOperation } from './call-state/desktop-call';
import type { DnStatus } from './dn-registry';
import { RecordingEventsPort } from './recording-events';
import type { PartyRecording } from './call-event-source';
import { CallNotFoundException, DnInUseException, TelephonyRefusedException, TelephonyTimeoutException, TelephonyUnavailableException } from './telephony.exception';

/** A device of an agent session (GWS StartContactCenterSession `devices`). */
export interface SessionDevice {
  dn: string;
  switch?: string;
}

/** Who a session belongs to (carried to consumers of recording events, e.g. the recorders module). */
export interface SessionAgent {
  ccid?: string;
  userName: string;
  agentId?: string;
}

/** An agent's contact center session: the DNs RWS monitors for that agent. */
export interface AgentSessionStatus {
  agentKey: string;
  place?: string;
  devices: DnStatus[];
}

export const RECORDING_OPERATIONS: readonly RecordingOperation[] = ['StartCallRecording', 'StopCallRecording', 'PauseCallRecording', 'ResumeCallRecording'];

const MAX_DEVICES = 16;
const DN_PATTERN = /^[^\s]{1,64}$/;

/**
 * Telephony use cases for desktops and recorders: agent sessions (which DNs to monitor, re-registered on
 * change of DN mid-shift), the calls a DN sees, and recording control mapped to the API's errors
 * (EventError → 409, link down → 503, timeout → 504).
 */
@Injectable()
export class TelephonyService {
  private readonly sessions = new Map<string, { place?: string; dns: Set<string>; agent?: SessionAgent }>();

  constructor(
    private readonly source: CallEventSource,
    private readonly events: RecordingEventsPort,
  ) {}

  /**
   * Starts or updates `agentKey`'s session (desktop StartContactCenterSession, or a recorder's hello with
   * place/devices). DNs no longer listed are released, new ones registered; the same DNs again change nothing.
   * A DN in another agent's session is refused (409). Callers serialise starts and ends per agent.
   * `agent` says who the session belongs to; recording events name the session by `agentKey`.
   */
  async startAgentSession(agentKey: string, place: string | undefined, devices: SessionDevice[], agent?: SessionAgent): Promise<AgentSessionStatus> {
    if (!Array.isArray(devices) || devices.length > MAX_DEVICES) throw new InvalidParameterException('devices', `at most ${MAX_DEVICES} devices`);
    for (const device of devices) {
      if (typeof device?.dn !== 'string' || !DN_PATTERN.test(device.dn)) throw new InvalidParameterException('devices', 'each device needs a dn without spaces');
    }
    const wanted = new Set(devices.map((d) => d.dn));
    // Checked and claimed in one synchronous step, so two agents racing for a DN cannot both get it.
    for (const [key, session] of this.sessions) {
      const taken = key === agentKey ? undefined : [...wanted].find((dn) => session.dns.has(dn));
      if (taken !== undefined) throw new DnInUseException(taken);
    }
    const previous = this.sessions.get(agentKey)?.dns ?? new Set<string>();
    const owner = agent ?? this.sessions.get(agentKey)?.agent;
    this.sessions.set(agentKey, { place, dns: wanted, agent: owner });
    this.sessionChanged(agentKey, owner, wanted);
    await Promise.all([...previous].filter((dn) => !wanted.has(dn)).map((dn) => this.source.unmonitor(dn, agentKey)));
    const statuses = await Promise.all([...wanted].map((dn) => this.source.monitor(dn, agentKey)));
    return { agentKey, place, devices: statuses };
  }

  /** Ends the session (EndContactCenterSession): its DNs are released; recordings on them stop being followed. */
  async endAgentSession(agentKey: string): Promise<void> {
    const session = this.sessions.get(agentKey);
    if (!session) return;
    this.sessions.delete(agentKey);
    this.sessionChanged(agentKey, session.agent, new Set());
    await Promise.all([...session.dns].map((dn) => this.source.unmonitor(dn, agentKey)));
  }

  /** Who the session `agentKey` belongs to, when its starter said so. */
  sessionAgent(agentKey: string): SessionAgent | undefined {
    return this.sessions.get(agentKey)?.agent;
  }

  /**
   * The voice recordings the agent's session follows now: those whose recorded party is one of its DNs
   * (a conference peer's recording on the same call is the peer's, not this agent's).
   */
  sessionRecordings(agentKey: string): PartyRecording[] {
    return this.sessionDns(agentKey).flatMap((dn) => this.source.recordingsOf(dn));
  }

  /** The DNs of an agent's session (empty when none). */
  sessionDns(agentKey: string): string[] {
    return [...(this.sessions.get(agentKey)?.dns ?? [])];
  }

  /**
   * Told before the DNs are (un)registered, so consumers stop following a released DN's recordings at once:
   * once released, RWS hears nothing more about that DN's calls (no pause, no stop).
   */
  private sessionChanged(agentKey: string, agent: SessionAgent | undefined, dns: Set<string>): void {
    this.events.publish({ kind: 'session', agentKey, agent, dns: [...dns], at: Date.now() });
  }

  /** The calls on `dn` (GET /api/v2/me/calls); 503 while the link is down, since RWS cannot know them then. */
  listCalls(dn: string): DesktopCall[] {
    if (!this.source.isUp()) throw new TelephonyUnavailableException();
    return this.source.callsOf(dn);
  }

  /** The calls on any DN of the agent's session. */
  listAgentCalls(agentKey: string): DesktopCall[] {
    if (!this.source.isUp()) throw new TelephonyUnavailableException();
    return this.sessionDns(agentKey).flatMap((dn) => this.source.callsOf(dn));
  }

  /** The CallUUID of a call named by CallUUID or by ConnID (GWS clients use either as the call id). */
  resolveCallUuid(callId: string): string {
    return this.source.findCallUuid(callId) ?? callId;
  }

  /**
   * Changes the agent's state on `dn` (Ready, NotReady with a work mode and reasons): RequestAgentReady /
   * RequestAgentNotReady, preceded by RequestAgentLogin as `agentId` when no agent is logged in on the DN.
   */
  async changeAgentState(request: Omit<AgentStateRequest, 'operation'> & { operation: 'Ready' | 'NotReady' }): Promise<void> {
    if (request.agentId && !this.source.agentOn(request.dn)) {
      throwUnlessOk('AgentLogin', await this.source.changeAgentState({ dn: request.dn, operation: 'Login', agentId: request.agentId }));
    }
    throwUnlessOk(`Agent${request.operation}`, await this.source.changeAgentState(request));
  }

  /**
   * Starts, stops, pauses or resumes the recording of call `callUuid` on `dn` (RequestPrivateService
   * 3013–3016 with ThisDN = `dn`). A supervisor acting on an agent's call passes the agent's DN and names
   * itself as `requester`. Resolves on EventACK; throws 404/409/503/504 otherwise.
   */
  async controlRecording(dn: string, callUuid: string, operation: RecordingOperation, requester?: string): Promise<void> {
    if (!RECORDING_OPERATIONS.includes(operation)) {
      throw new InvalidParameterException('operationName', `expected one of ${RECORDING_OPERATIONS.join(', ')}`);
    }
    const result = await this.source.controlRecording({ dn, callUuid, operation, requester });
    switch (result.kind) {
      case 'ok':
        return;
      case 'refused':
        throw new TelephonyRefusedException(operation, result.errorCode, result.errorMessage);
      case 'no-call':
        if (!this.source.isUp()) throw new TelephonyUnavailableException();
        throw new CallNotFoundException(callUuid);
      case 'link-down':
        throw new TelephonyUnavailableException();
      case 'timeout':
        throw new TelephonyTimeoutException(operation, result.timeoutMs);
    }
  }
}

function throwUnlessOk(operation: string, result: AgentStateResult): void {
  switch (result.kind) {
    case 'ok':
      return;
    case 'refused':
      throw new TelephonyRefusedException(operation, result.errorCode, result.errorMessage);
    case 'link-down':
      throw new TelephonyUnavailableException();
    case 'timeout':
      throw new TelephonyTimeoutException(operation, result.timeoutMs);
  }
}
