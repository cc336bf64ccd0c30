import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { EnvelopeExceptionFilter } from './common/errors/envelope-exception.filter';
import { ContactCentersModule } from './contact-centers/contact-centers.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { MetricsModule } from './metrics/metrics.module';
import { PersistenceModule } from './persistence/persistence.module';
import { RecordingsModule } from './recordings/recordings.module';

/** The application, assembled for one configuration. */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        HealthModule,
        MetricsModule,
        PersistenceModule.forConfig(config),
        IdentityModule,
        ContactCentersModule,
        RecordingsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: EnvelopeExceptionFilter }],
    };
  }
}
