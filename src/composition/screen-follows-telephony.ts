import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RecordersService } from '../recorders/recorders.service';
import { AgentSessionChange, RecordingEvent, RecordingEventsPort } from '../telephony/recording-events';
import { TelephonyService } from '../telephony/telephony.service';

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
        // A recording first learned paused is paused from the start: never a start the pause then corrects.
        type: event.pausedAtStart ? 'paused' : event.type,
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
