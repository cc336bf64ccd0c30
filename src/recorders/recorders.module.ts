import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { AgentSessionPort, NoAgentSessions } from './agent-session.port';
import { AgentSettingsPort, DefaultAgentSettings } from './agent-settings.port';
import { OpsRecorderAuthenticator } from './ops-recorder-authenticator';
import { RecorderAuthenticator } from './recorder-authenticator';
import { RecorderGateway } from './recorder-gateway';
import { RecorderMetrics } from './recorder-metrics';
import { RecordersService } from './recorders.service';
import { InMemoryScreenRecordingRegistry, ScreenRecordingRegistry } from './screen-recording-registry.port';

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
      providers: [
        RecorderMetrics,
        RecordersService,
        RecorderGateway,
        bind(RecorderAuthenticator, ports.authenticator ?? OpsRecorderAuthenticator),
        bind(AgentSessionPort, ports.agentSessions ?? NoAgentSessions),
        bind(AgentSettingsPort, ports.agentSettings ?? DefaultAgentSettings),
        bind(ScreenRecordingRegistry, ports.screenRecordings ?? InMemoryScreenRecordingRegistry),
      ],
      exports: [RecordersService, ScreenRecordingRegistry],
    };
  }
}

function bind<T>(token: abstract new (...args: never[]) => T, binding: PortBinding<T>): Provider {
  return typeof binding === 'function' ? { provide: token, useClass: binding as Type<T> } : { provide: token, useValue: binding };
}
