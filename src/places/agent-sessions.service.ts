import { Injectable, Logger } from '@nestjs/common';
import { KeyedSerialQueue } from '../common/concurrency/keyed-serial-queue';
import { InsufficientRolesException } from '../identity/identity.exception';
import type { Principal } from '../identity/principal';
import { agentKeyOf } from '../recorders/recording-signals';
import { AgentSessionStatus, SessionDevice, TelephonyService } from '../telephony/telephony.service';
import { AgentHomedElsewhereException, AgentHomes, AgentSessionRecord } from './agent-homes';
import { SessionDevices } from './session-devices';

/**
 * Starts and ends agents' contact center sessions, from the desktop (StartContactCenterSession) and from a
 * recorder's hello. The DNs are resolved and checked against the contact center's places and DNs first
 * (SessionDevices). Starts and ends of one agent run one at a time in arrival order, resolution included, so
 * an end that arrives after a start always undoes it: overlapping starts can never leave a DN registered
 * once the session has ended. On a cluster a session lives only on the agent's home node (AgentHomes).
 */
@Injectable()
export class AgentSessionsService {
  private readonly logger = new Logger('AgentSessions');
  private readonly serial = new KeyedSerialQueue();

  constructor(
    private readonly telephony: TelephonyService,
    private readonly devices: SessionDevices,
    private readonly homes: AgentHomes,
  ) {}

  /** Starts (or changes) the session here; 503 when another node is the agent's home (the desktop retries). */
  start(principal: Principal, place: string | undefined, devices: SessionDevice[]): Promise<AgentSessionStatus> {
    const agent = requireAgent(principal);
    const key = agentKeyOf(agent);
    return this.serial.submit(key, async () => {
      if (!(await this.homes.claimHere(key))) throw new AgentHomedElsewhereException();
      const resolved = await this.devices.resolve(agent, place, devices);
      const owner = { ccid: agent.ccid, userName: agent.userName, agentId: agent.agentId };
      const status = await this.telephony.startAgentSession(key, place, resolved, owner);
      await this.saved(key, { agent: owner, place, devices: resolved, startedAt: Date.now() });
      return status;
    });
  }

  end(principal: Principal): Promise<void> {
    const key = agentKeyOf(requireAgent(principal));
    return this.serial.submit(key, async () => {
      await this.telephony.endAgentSession(key);
      await this.homes.sessionEnded(key).catch((err: Error) => this.logger.warn({ msg: 'session end not shared', error: err.message }));
    });
  }

  /** Holds a session another node held (it died): the DNs are registered here and its calls rebuilt from SIP Server. */
  restore(agentKey: string, record: AgentSessionRecord): Promise<AgentSessionStatus> {
    return this.serial.submit(agentKey, () => this.telephony.startAgentSession(agentKey, record.place, record.devices, record.agent));
  }

  /** Another node became the agent's home: this node lets the DNs go, and leaves the shared record to the new home. */
  releaseLocal(agentKey: string): Promise<void> {
    return this.serial.submit(agentKey, () => this.telephony.endAgentSession(agentKey));
  }

  /** Whether this node holds a session of the agent. */
  holds(agentKey: string): boolean {
    return this.telephony.sessionDns(agentKey).length > 0;
  }

  private async saved(key: string, record: AgentSessionRecord): Promise<void> {
    // The session runs here already; the shared copy is retried by the home's refresh when Redis is away.
    await this.homes.sessionSaved(key, record).catch((err: Error) => this.logger.warn({ msg: 'session not shared yet', error: err.message }));
  }
}

/** Only a user of a contact center has a contact center session (the ops and service accounts do not). */
export function requireAgent(principal: Principal): Principal & { ccid: string } {
  if (principal.kind !== 'user' || !principal.ccid) throw new InsufficientRolesException('Only an agent user has a contact center session.');
  return principal as Principal & { ccid: string };
}
