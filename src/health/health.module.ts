import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health-registry';
import { NodeDrain } from './node-drain';

/** Readiness registry (global: every adapter registers its dependency), the drain state, and the probe endpoints. */
@Global()
@Module({ controllers: [HealthController], providers: [HealthRegistry, NodeDrain], exports: [HealthRegistry, NodeDrain] })
export class HealthModule {}
