import { Module } from '@nestjs/common';
import { DiagnosticsController } from './diagnostics.controller';

/**
 * GWS's `diagnostics/version` (answered without credentials, with a session cookie and CSRF headers). Apart from
 * HealthModule because it needs identity's CSRF protection, which the probes and the adapters' suites do not.
 */
@Module({ controllers: [DiagnosticsController] })
export class DiagnosticsModule {}
