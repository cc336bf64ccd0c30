import { Injectable } from '@nestjs/common';
import type { Principal } from '../identity/principal';
import { AgentSettingsPort, RecordingWhen } from './agent-settings.port';
import { agentKeyOf, AgentRef } from './recording-signals';

/**
 * AgentSettingsPort answered from the principals of connected recorders (refreshed at every connection):
 * an agent never seen defaults to `voice`, the documented default.
 */
@Injectable()
export class KnownAgentSettings extends AgentSettingsPort {
  private readonly known = new Map<string, RecordingWhen>();

  remember(principal: Principal): void {
    this.known.set(agentKeyOf(principal), principal.recordingWhen ?? 'voice');
  }

  recordingWhen(agent: AgentRef): RecordingWhen {
    return this.known.get(agentKeyOf(agent)) ?? 'voice';
  }
}
