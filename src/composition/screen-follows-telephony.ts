import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Principal } from '../identity/principal';
import { AgentSessionPort } from '../recorders/agent-session.port';
import type { DeviceRef } from '../recorders/recorder-protocol';
import { RecordersService } from '../recorders/recorders.service';
import { agentKeyOf, AgentRef } from '../recorders/recording-signals';
import { AgentSessionChange, RecordingEvent, RecordingEventsPort } from '../telephony/recording-events';
import { TelephonyService } from '../telephony/telephony.service';

/**
 * The recorders module's AgentSessionPort: a recorder's hello with place/devices starts the agent's session
 * (DN registration) exactly like the desktop's StartContactCenterSession. Sessions are keyed like the
 * recorders module keys agents (`agentKeyOf`), so recording events name the agent it knows.
 */
@Injectable()
export class TelephonyAgentSessions extends AgentSessionPort {
  constructor(private readonly telephony: TelephonyService) {
    super();
  }

  async startSession(principal: Principal, place: string | undefined, devices: DeviceRef[]): Promise<void> {
    if (devices.length === 0) return;
    const agent: AgentRef = { ccid: principal.ccid, userName: principal.userName, agentId: principal.agentId };
    await this.telephony.startAgentSession(agentKeyOf(agent), place, devices, agent);
  }
}

/**
 * Screen follows voice: what telephony publishes (RecordingEventsPort) becomes the recorders module's input
 * (recording-signals.ts). Composition-root wiring, so that neither module imports the other: telephony knows
 * nothing of recorders, recorders nothing of telephony.
 *
 * - a recording event becomes one RecordingSignal per agent session holding the recorded DN;
 * - an agent session change (start, DN change, end) replaces the agent's recorded calls with the recordings
 *   on the DNs the session holds now — none once it ended — so a screen recording never outlives the
 *   session that let RWS follow its voice (docs/screen-recording-rules.md).
 */
@Injectable()
export class ScreenFollowsTelephony implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: RecordingEventsPort,
    private readonly telephony: TelephonyService,
    private readonly recorders: RecordersService,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.kind === 'recording') this.forward(event);
      else if (event.kind === 'session') this.sessionChanged(event);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  private forward(event: RecordingEvent): void {
    for (const key of event.agentKeys) {
      const agent = this.telephony.sessionAgent(key);
      if (!agent) continue;
      this.recorders.onSignal({
        type: event.type,
        agent: { ...agent, agentId: agent.agentId ?? event.agentId },
        callUuid: event.callUuid,
        connId: event.connId,
        partitions: event.partitions,
        at: new Date(event.at).toISOString(),
      });
    }
  }

  private sessionChanged(change: AgentSessionChange): void {
    if (!change.agent) return;
    const recordings = change.dns.length === 0 ? [] : this.telephony.sessionRecordings(change.agentKey);
    this.recorders.onCallSnapshot(change.agent, recordings, new Date(change.at).toISOString());
  }
}
