import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { RecordersService } from '../recorders/recorders.service';
import { RecordingEvent, RecordingEventsPort } from './recording-events';
import { TelephonyService } from './telephony.service';

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
