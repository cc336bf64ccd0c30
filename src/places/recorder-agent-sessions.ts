import { Injectable } from '@nestjs/common';
import type { Principal } from '../identity/principal';
import { AgentSessionPort } from '../recorders/agent-session.port';
import type { DeviceRef } from '../recorders/recorder-protocol';
import { AgentHomedElsewhereException } from './agent-homes';
import { AgentSessionsService } from './agent-sessions.service';

/**
 * The recorders module's AgentSessionPort: a recorder's hello with a place or devices starts the agent's
 * session under the same rules and the same per-agent order as the desktop's StartContactCenterSession.
 * On a cluster, when the agent's home is another node the session stays there (its desktop started it).
 */
@Injectable()
export class RecorderAgentSessions extends AgentSessionPort {
  constructor(private readonly sessions: AgentSessionsService) {
    super();
  }

  async startSession(principal: Principal, place: string | undefined, devices: DeviceRef[]): Promise<void> {
    if (place === undefined && devices.length === 0) return;
    try {
      await this.sessions.start(principal, place, devices);
    } catch (err) {
      if (!(err instanceof AgentHomedElsewhereException)) throw err;
    }
  }
}
