import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { MetricsService } from '../metrics/metrics.service';
import { CallEventSource } from './call-event-source';
import { EmbeddedSimulator } from './embedded-simulator';
import { InProcessRecordingEvents, RecordingEventsPort } from './recording-events';
import { RecordingSignalsForwarder } from './recorders-bridge';
import { SipServerEventSource } from './sip-server-event-source';
import { registerTelephonyMetrics } from './telephony.metrics';
import { TelephonyService } from './telephony.service';

/** Starts the link after the module is built, reports it in readiness and metrics, and stops it (then the simulator). */
@Injectable()
class TelephonyLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(CallEventSource) private readonly source: SipServerEventSource,
    @Inject(RecordingEventsPort) private readonly events: RecordingEventsPort,
    private readonly simulator: EmbeddedSimulator,
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.health.register({
      name: 'sipserver',
      check: async () => {
        if (!this.source.isUp()) throw new Error('SIP Server link is down');
      },
    });
    registerTelephonyMetrics(this.metrics.registry, this.source, this.events);
    await this.source.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.source.stop();
    await this.simulator.stop();
  }
}

/**
 * Telephony: the SIP Server link and call state, the domain event bus (RecordingEventsPort) and the
 * telephony use cases. Global, so that recorders and desktop controllers inject TelephonyService and the
 * port. Without SIPSERVER_ADDRESSES the simulator runs in-process and the link connects to it.
 */
@Global()
@Module({})
export class TelephonyModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: TelephonyModule,
      providers: [
        { provide: RecordingEventsPort, useClass: InProcessRecordingEvents },
        {
          provide: EmbeddedSimulator,
          useFactory: () =>
            config.sipServerAddresses.length === 0 ? EmbeddedSimulator.start(config.telephony.simulatorControlPort, config.telephony.simulatorControlHost) : EmbeddedSimulator.none(),
        },
        {
          provide: CallEventSource,
          inject: [EmbeddedSimulator, RecordingEventsPort],
          useFactory: (simulator: EmbeddedSimulator, events: RecordingEventsPort) =>
            new SipServerEventSource(
              { addresses: simulator.addresses ?? config.sipServerAddresses, link: { requestTimeoutMs: config.telephony.requestTimeoutMs } },
              events,
            ),
        },
        TelephonyService,
        TelephonyLifecycle,
        RecordingSignalsForwarder,
      ],
      exports: [RecordingEventsPort, CallEventSource, TelephonyService, EmbeddedSimulator],
    };
  }
}
