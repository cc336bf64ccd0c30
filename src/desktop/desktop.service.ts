import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';
import { FEATURE_VOICE_RECORDING } from '../contact-centers/contact-center';
import { ContactCentersService } from '../contact-centers/contact-centers.service';
import { AccessPolicy } from '../identity/access/access-policy';
import type { Principal } from '../identity/principal';
import { UserStore } from '../identity/users/user.store';
import { AgentSessionsService, requireAgent } from '../places/agent-sessions.service';
import { agentKeyOf } from '../recorders/recording-signals';
import type { DesktopCall, RecordingOperation } from '../telephony/call-state/desktop-call';
import { AgentSessionStatus, SessionDevice, TelephonyService } from '../telephony/telephony.service';
import { CallNotFoundException } from '../telephony/telephony.exception';
import type { AgentStateOperation, NOT_READY_WORK_MODES } from './desktop.dto';

/**
 * The agent desktop's use cases (api.md §4): the contact center session that tells RWS which DNs to follow,
 * the agent's calls, and recording control by the agent or by a supervisor who may see that agent.
 */
@Injectable()
export class DesktopService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly telephony: TelephonyService,
    private readonly contactCenters: ContactCentersService,
    private readonly users: UserStore,
    private readonly access: AccessPolicy,
    private readonly sessions: AgentSessionsService,
  ) {}

  /** Resolves the place and devices against the contact center's telephony resources (404/403/409), then registers the DNs. */
  startSession(principal: Principal, place: string | undefined, devices: SessionDevice[]): Promise<AgentSessionStatus> {
    return this.sessions.start(principal, place, devices);
  }

  endSession(principal: Principal): Promise<void> {
    return this.sessions.end(principal);
  }

  /**
   * Ready / NotReady on every DN of the agent's session (RequestAgentReady / RequestAgentNotReady, after a
   * RequestAgentLogin when nobody is logged in on the DN); the change reaches desktops as device notifications.
   */
  async changeAgentState(
    principal: Principal,
    operation: AgentStateOperation,
    details: { reasonCode?: string; workMode?: (typeof NOT_READY_WORK_MODES)[number] },
  ): Promise<void> {
    const agent = requireAgent(principal);
    const dns = this.telephony.sessionDns(agentKeyOf(agent));
    if (dns.length === 0) throw new RwsException(ErrorCode.Conflict, 'No contact center session: start one with StartContactCenterSession first.');
    const notReady = operation === 'NotReady';
    for (const dn of dns) {
      await this.telephony.changeAgentState({
        dn,
        operation,
        agentId: agent.agentId ?? agent.userName,
        ...(notReady && details.workMode ? { workMode: details.workMode } : {}),
        ...(notReady && details.reasonCode ? { reasons: { ReasonCode: details.reasonCode } } : {}),
      });
    }
  }

  calls(principal: Principal): DesktopCall[] {
    return this.telephony.listAgentCalls(agentKeyOf(requireAgent(principal)));
  }

  /** The agent controls the recording of one of its own calls. */
  async controlOwnCall(principal: Principal, callId: string, operation: RecordingOperation): Promise<void> {
    const agent = requireAgent(principal);
    await this.requireRecordingFeature(agent.ccid);
    const callUuid = this.telephony.resolveCallUuid(callId);
    const dn = this.dnOf(agentKeyOf(agent), callUuid);
    await this.telephony.controlRecording(dn, callUuid, operation);
  }

  /**
   * A supervisor (or admin) controls the recording of another agent's call. The agent must be one the
   * supervisor may see (hierarchy or partition access); otherwise the agent does not exist for them (404).
   */
  async controlAgentCall(principal: Principal, userName: string, callId: string, operation: RecordingOperation): Promise<void> {
    this.access.requireOperation(principal, 'control');
    const target = await this.users.findByName(userName);
    const visible =
      target &&
      target.kind === 'user' &&
      this.access.canSeeRecording(principal, { ccid: target.ccid, region: this.config.region, agentId: target.agentId, agentHierarchy: target.agentHierarchy });
    if (!visible) throw new RwsException(ErrorCode.NotFound, `User [${userName}] cannot be found.`);
    await this.requireRecordingFeature(target.ccid);
    const callUuid = this.telephony.resolveCallUuid(callId);
    const dn = this.dnOf(agentKeyOf({ ccid: target.ccid, userName: target.userName }), callUuid);
    await this.telephony.controlRecording(dn, callUuid, operation, principal.userName);
  }

  private dnOf(agentKey: string, callUuid: string): string {
    for (const dn of this.telephony.sessionDns(agentKey)) {
      if (this.telephony.listCalls(dn).some((call) => call.id === callUuid && call.state !== 'Released')) return dn;
    }
    throw new CallNotFoundException(callUuid);
  }

  private async requireRecordingFeature(ccid: string): Promise<void> {
    const contactCenter = await this.contactCenters.require(ccid);
    if (!contactCenter.features.includes(FEATURE_VOICE_RECORDING)) {
      throw new RwsException(ErrorCode.InsufficientPermissions, `Feature ${FEATURE_VOICE_RECORDING} is not enabled for this contact center.`);
    }
  }
}
