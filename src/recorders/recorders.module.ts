import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { AgentSessionPort, NoAgentSessions } from './agent-session.port';
import { AgentSettingsPort } from './agent-settings.port';
import { IdentityRecorderAuthenticator } from './identity-recorder-authenticator';
import { StoredAgentSettings } from './stored-agent-settings';
import { ReleaseForwarding } from './release-forwarding';
import { ReleasesModule } from '../releases/releases.module';
import { ScreenRecordingsModule } from '../screen-recordings/screen-recordings.module';
import { StoredScreenRecordingRegistry } from '../screen-recordings/stored-screen-recording-registry';
import { RecorderAuthenticator } from './recorder-authenticator';
import { RecorderGateway } from './recorder-gateway';
import { RecorderMetrics } from './recorder-metrics';
import { RecordersService } from './recorders.service';
import { LocalRecorderRouting, RecorderRouting } from './recorder-routing.port';
import { ClusterRedis } from '../cluster/cluster-redis';
import { RedisRecorderRouting } from '../cluster/recorders/redis-recorder-routing';
import { ScreenRecordingRegistry } from './screen-recording-registry.port';

/** An implementation of a port: a class Nest builds (with injection) or a ready instance. */
export type PortBinding<T> = Type<T> | T;

/** The module's ports; any left out gets its development default. */
export interface RecordersPorts {
  authenticator?: PortBinding<RecorderAuthenticator>;
  agentSessions?: PortBinding<AgentSessionPort>;
  agentSettings?: PortBinding<AgentSettingsPort>;
  screenRecordings?: PortBinding<ScreenRecordingRegistry>;
}

/** The screen recorder channel (api.md §5): WebSocket gateway, desired state, command delivery. */
@Module({})
export class RecordersModule {
  static forRoot(ports: RecordersPorts = {}): DynamicModule {
    return {
      module: RecordersModule,
      imports: [ScreenRecordingsModule, ReleasesModule],
      providers: [
        ReleaseForwarding,
        RecorderMetrics,
        RecordersService,
        RecorderGateway,
        bind(RecorderAuthenticator, ports.authenticator ?? IdentityRecorderAuthenticator),
        bind(AgentSessionPort, ports.agentSessions ?? NoAgentSessions),
        bind(AgentSettingsPort, ports.agentSettings ?? StoredAgentSettings),
        bind(ScreenRecordingRegistry, ports.screenRecordings ?? StoredScreenRecordingRegistry),
        {
          // A cluster (RWS_CLUSTER_REDIS_URL): commands reach recorders on other nodes through Redis.
          provide: RecorderRouting,
          useFactory: (redis?: ClusterRedis) => (redis?.enabled ? new RedisRecorderRouting(redis) : new LocalRecorderRouting()),
          inject: [{ token: ClusterRedis, optional: true }],
        },
      ],
      exports: [RecordersService, ScreenRecordingRegistry],
    };
  }
}

function bind<T>(token: abstract new (...args: never[]) => T, binding: PortBinding<T>): Provider {
  return typeof binding === 'function' ? { provide: token, useClass: binding as Type<T> } : { provide: token, useValue: binding };
}
