import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Principal } from '../identity/principal';
import { AgentSessionPort } from '../recorders/agent-session.port';
import type { DeviceRef } from '../recorders/recorder-protocol';
import { RecordersService } from '../recorders/recorders.service';
import { agentKeyOf, AgentRef } from '../recorders/recording-signals';
import { RecordingEvent, RecordingEventsPort } from './recording-events';
import { TelephonyService } from './telephony.service';

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
 * Feeds recording events to the recorders module (recording-signals.ts): one RecordingSignal per agent
 * session holding the recorded DN. Resolved at bootstrap so that telephony works without the recorders module.
 */
@Injectable()
export class RecordingSignalsForwarder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RecordingSignals');
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly events: RecordingEventsPort,
    private readonly telephony: TelephonyService,
  ) {}

  onApplicationBootstrap(): void {
    let recorders: RecordersService;
    try {
      recorders = this.moduleRef.get(RecordersService, { strict: false });
    } catch {
      this.logger.log({ msg: 'no recorders module: recording events are not forwarded to screen recorders' });
      return;
    }
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.kind === 'recording') this.forward(recorders, event);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  private forward(recorders: RecordersService, event: RecordingEvent): void {
    for (const key of event.agentKeys) {
      const agent = this.telephony.sessionAgent(key);
      if (!agent) continue;
      recorders.onSignal({
        type: event.type,
        agent: { ...agent, agentId: agent.agentId ?? event.agentId },
        callUuid: event.callUuid,
        connId: event.connId,
        partitions: event.partitions,
        at: new Date(event.at).toISOString(),
      });
    }
  }
}
