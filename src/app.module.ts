import { ClusterModule } from './cluster/cluster.module';
import { AgentHomeModule } from './cluster/agent-home/agent-home.module';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { EnvelopeExceptionFilter } from './common/errors/envelope-exception.filter';
import { ContactCentersModule } from './contact-centers/contact-centers.module';
import { CryptoModule } from './crypto/crypto.module';
import { HealthModule } from './health/health.module';
import { DiagnosticsModule } from './health/diagnostics.module';
import { IdentityModule } from './identity/identity.module';
import { MetricsModule } from './metrics/metrics.module';
import { WorkersModule } from './common/workers/workers.module';
import { PersistenceModule } from './persistence/persistence.module';
import { StorageModule } from './storage/storage.module';
import { MediaDeletesModule } from './storage/media-deletes/media-deletes.module';
import { ReleasesModule } from './releases/releases.module';
import { DesktopModule } from './desktop/desktop.module';
import { ScreenRecordingsModule } from './screen-recordings/screen-recordings.module';
import { RecordersModule, RecordersPorts } from './recorders/recorders.module';
import { TelephonyModule } from './telephony/telephony.module';
import { ScreenFollowsTelephony } from './composition/screen-follows-telephony';
import { ScreenEventsWiring } from './composition/screen-events-to-webhooks';
import { PlacesModule } from './places/places.module';
import { RecorderAgentSessions } from './places/recorder-agent-sessions';

/** Port implementations chosen by the caller (tests, benchmarks); each module falls back to its default. */
export interface AppPorts {
  recorders?: RecordersPorts;
  /** Binds SipServers (the composition root passes the in-process simulator); default: SIPSERVER_ADDRESSES. */
  sipServers?: Provider[];
}
import { RecordingsModule } from './recordings/recordings.module';
import { PlaybackModule } from './playback/playback.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { WebhooksModule } from './lifecycle/webhooks/webhooks.module';

/** The application, assembled for one configuration: the composition root (with src/composition/). */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig, ports: AppPorts = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        HealthModule,
        DiagnosticsModule,
        ClusterModule,
        AgentHomeModule,
        MetricsModule,
        WorkersModule,
        PersistenceModule.forConfig(config),
        StorageModule.forConfig(config),
        IdentityModule,
        MediaDeletesModule,
        WebhooksModule,
        ScreenEventsWiring,
        ContactCentersModule,
        ReleasesModule,
        ScreenRecordingsModule,
        CryptoModule.forConfig(config),
        // Recorder hellos with a place or devices start agent sessions like the desktop, unless a test binds its own.
        RecordersModule.forRoot({ agentSessions: RecorderAgentSessions, ...ports.recorders }),
        TelephonyModule.forConfig(config, ports.sipServers),
        PlacesModule,
        DesktopModule,
        RecordingsModule,
        PlaybackModule,
        LifecycleModule,
      ],
      // ScreenFollowsTelephony sees RecordersService (exported by RecordersModule) and telephony (global).
      providers: [{ provide: APP_FILTER, useClass: EnvelopeExceptionFilter }, ScreenFollowsTelephony],
    };
  }
}
