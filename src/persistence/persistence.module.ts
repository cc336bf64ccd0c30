import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit, Provider } from '@nestjs/common';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { CassandraConnection } from './cassandra/cassandra-connection';
import { EmbeddedDatabase } from './embedded/embedded-database';
import { STORE_BINDINGS } from './store-bindings';
import { MasterKeyRing } from '../crypto/keys/master-key-ring';
import { TargetCredentialSealer } from '../lifecycle/export/target-credentials';

/** Opens the embedded database at start and closes it (flushing) at shutdown. */
@Injectable()
class EmbeddedLifecycle implements OnApplicationShutdown, OnModuleInit {
  constructor(
    @Inject(EmbeddedDatabase) private readonly db: EmbeddedDatabase,
    private readonly health: HealthRegistry,
  ) {}
  onModuleInit(): void {
    // Down while writes fail (disk full, read-only, I/O errors); each check retries a tiny write.
    this.health.register({ name: 'metadata', check: () => this.db.checkWritable() });
  }
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/** Starts the Cassandra session (bounded wait) and reports it in readiness. */
@Injectable()
class CassandraLifecycle implements OnModuleInit {
  constructor(
    private readonly connection: CassandraConnection,
    private readonly health: HealthRegistry,
  ) {}
  async onModuleInit(): Promise<void> {
    this.health.register({ name: 'cassandra', check: () => this.connection.ping() });
    await this.connection.start();
  }
}

/** Binds every metadata port to the adapter that RWS_METADATA selects. */
@Global()
@Module({})
export class PersistenceModule {
  static forConfig(config: AppConfig): DynamicModule {
    const backend = config.metadata;
    const stores: Provider[] = STORE_BINDINGS.map((b) => ({ provide: b.port, useClass: backend === 'cassandra' ? b.cassandra : b.embedded }));
    const infrastructure: Provider[] =
      backend === 'cassandra'
        ? [CassandraConnection, CassandraLifecycle]
        : [{ provide: EmbeddedDatabase, useFactory: () => EmbeddedDatabase.open(join(resolve(config.dataDir), 'metadata')) }, EmbeddedLifecycle];
    // Export targets' passwords are sealed under the node secrets key (MasterKeyRing.forNodeSecrets).
    const sealer: Provider = { provide: TargetCredentialSealer, useFactory: () => new TargetCredentialSealer(MasterKeyRing.forNodeSecrets(config)) };
    return {
      module: PersistenceModule,
      providers: [...infrastructure, sealer, ...stores],
      exports: [...STORE_BINDINGS.map((b) => b.port), backend === 'cassandra' ? CassandraConnection : EmbeddedDatabase],
    };
  }
}
