import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { MetricsService } from '../metrics/metrics.service';
import { CallEventSource } from './call-event-source';
import { InProcessRecordingEvents, RecordingEventsPort } from './recording-events';
import { ConfiguredSipServers, SipServers } from './sip-servers';
import { SipServerEventSource } from './sip-server-event-source';
import { registerTelephonyMetrics } from './telephony.metrics';
import { TelephonyService } from './telephony.service';

/** Starts the link after the module is built, reports it in readiness and metrics, and stops it (then the servers' binding). */
@Injectable()
class TelephonyLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(CallEventSource) private readonly source: SipServerEventSource,
    @Inject(RecordingEventsPort) private readonly events: RecordingEventsPort,
    private readonly servers: SipServers,
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
    await this.servers.stop();
  }
}

/**
 * Telephony: the SIP Server link and call state, the domain event bus (RecordingEventsPort) and the
 * telephony use cases. Global, so that recorders and desktop controllers inject TelephonyService and the
 * port. Where the SIP Servers are is the SipServers port: `servers` binds it (the composition root passes
 * the in-process simulator when SIPSERVER_ADDRESSES is unset); by default the configured addresses.
 */
@Global()
@Module({})
export class TelephonyModule {
  static forConfig(config: AppConfig, servers: Provider[] = [{ provide: SipServers, useValue: new ConfiguredSipServers(config.sipServerAddresses) }]): DynamicModule {
    return {
      module: TelephonyModule,
      providers: [
        { provide: RecordingEventsPort, useClass: InProcessRecordingEvents },
        ...servers,
        {
          provide: CallEventSource,
          inject: [SipServers, RecordingEventsPort],
          useFactory: (sipServers: SipServers, events: RecordingEventsPort) =>
            new SipServerEventSource({ addresses: sipServers.addresses, link: { requestTimeoutMs: config.telephony.requestTimeoutMs } }, events),
        },
        TelephonyService,
        TelephonyLifecycle,
      ],
      exports: [RecordingEventsPort, CallEventSource, TelephonyService, SipServers],
    };
  }
}
