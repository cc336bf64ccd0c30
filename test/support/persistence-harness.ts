import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule } from '../../src/config/config.module';
import { HealthModule } from '../../src/health/health.module';
import { PersistenceModule } from '../../src/persistence/persistence.module';
import { MetadataBackend, testConfig } from './test-config';

/** The persistence layer alone on one backend, for contract suites of metadata ports. */
export async function openPersistence(backend: MetadataBackend, dataDir?: string): Promise<TestingModule> {
  const config = testConfig({ metadata: backend, env: dataDir ? { RWS_DATA_DIR: dataDir } : {} });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forConfig(config), HealthModule, PersistenceModule.forConfig(config)],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
