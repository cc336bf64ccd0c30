import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { EnvelopeExceptionFilter } from '../../common/errors/envelope-exception.filter';
import { WorkersModule } from '../../common/workers/workers.module';
import { ClusterModule } from '../../cluster/cluster.module';
import { ContactCentersModule } from '../../contact-centers/contact-centers.module';
import { HealthModule } from '../../health/health.module';
import { IdentityModule } from '../../identity/identity.module';
import { MetricsModule } from '../../metrics/metrics.module';
import { PersistenceModule } from '../../persistence/persistence.module';
import { CryptoModule } from '../crypto.module';
import { KeyUnwrapController, ServiceCredentialGuard } from './key-unwrap.controller';

/**
 * The crypto service as its own process: the metadata store (certificates), the master key and private
 * keys, the certificates ops API (upload private keys here), and the unwrap endpoint for API nodes.
 */
@Module({})
export class CryptoServerModule {
  static forConfig(config: AppConfig): DynamicModule {
    const local: AppConfig = { ...config, cryptoUrl: undefined };
    return {
      module: CryptoServerModule,
      imports: [
        ConfigModule.forConfig(local),
        HealthModule,
        ClusterModule,
        MetricsModule,
        WorkersModule,
        PersistenceModule.forConfig(local),
        IdentityModule,
        ContactCentersModule,
        CryptoModule.forConfig(local),
      ],
      controllers: [KeyUnwrapController],
      providers: [ServiceCredentialGuard, { provide: APP_FILTER, useClass: EnvelopeExceptionFilter }],
    };
  }
}
