import { Global, Module } from '@nestjs/common';
import { DiagnosticsController } from './diagnostics.controller';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health-registry';

/** Readiness registry (global: every adapter registers its dependency), the probe endpoints and GWS's diagnostics. */
@Global()
@Module({ controllers: [HealthController, DiagnosticsController], providers: [HealthRegistry], exports: [HealthRegistry] })
export class HealthModule {}
