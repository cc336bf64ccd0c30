import { Injectable } from '@nestjs/common';
import { KeyedSerialQueue } from '../common/concurrency/keyed-serial-queue';
import { InsufficientRolesException } from '../identity/identity.exception';
import type { Principal } from '../identity/principal';
import { agentKeyOf } from '../recorders/recording-signals';
import { AgentSessionStatus, SessionDevice, TelephonyService } from '../telephony/telephony.service';
import { SessionDevices } from './session-devices';

/**
 * Starts and ends agents' contact center sessions, from the desktop (StartContactCenterSession) and from a
 * recorder's hello. The DNs are resolved and checked against the contact center's places and DNs first
 * (SessionDevices). Starts and ends of one agent run one at a time in arrival order, resolution included, so
 * an end that arrives after a start always undoes it: overlapping starts can never leave a DN registered
 * once the session has ended.
 */
@Injectable()
export class AgentSessionsService {
  private readonly serial = new KeyedSerialQueue();

  constructor(
    private readonly telephony: TelephonyService,
    private readonly devices: SessionDevices,
  ) {}

  start(principal: Principal, place: string | undefined, devices: SessionDevice[]): Promise<AgentSessionStatus> {
    const agent = requireAgent(principal);
    const key = agentKeyOf(agent);
    return this.serial.submit(key, async () => {
      const resolved = await this.devices.resolve(agent, place, devices);
      return this.telephony.startAgentSession(key, place, resolved, { ccid: agent.ccid, userName: agent.userName, agentId: agent.agentId });
    });
  }

  end(principal: Principal): Promise<void> {
    const key = agentKeyOf(requireAgent(principal));
    return this.serial.submit(key, () => this.telephony.endAgentSession(key));
  }
}

/** Only a user of a contact center has a contact center session (the ops and service accounts do not). */
export function requireAgent(principal: Principal): Principal & { ccid: string } {
  if (principal.kind !== 'user' || !principal.ccid) throw new InsufficientRolesException('Only an agent user has a contact center session.');
  return principal as Principal & { ccid: string };
}
