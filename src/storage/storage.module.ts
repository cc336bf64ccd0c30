import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { FilesystemRecordingStorage } from './filesystem/filesystem-recording-storage';
import { RecordingStorage } from './recording-storage';
import { SegmentedRecordingStorage } from './segmented/segmented-recording-storage';
import { WebDavClient } from './webdav/webdav-client';
import { WebDavRecordingStorage } from './webdav/webdav-recording-storage';

/** Reports storage in readiness and releases its connections at shutdown. */
@Injectable()
class StorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly storage: RecordingStorage,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register({ name: 'storage', check: () => this.storage.check() });
  }

  onApplicationShutdown(): void {
    const adapter = this.storage instanceof SegmentedRecordingStorage ? this.storage.inner : this.storage;
    if (adapter instanceof WebDavRecordingStorage) adapter.close();
  }
}

/** Builds the adapter that RWS_STORAGE selects, reading segmented objects (uploads) as single ones. */
export async function createRecordingStorage(config: AppConfig): Promise<RecordingStorage> {
  return new SegmentedRecordingStorage(await createStorageAdapter(config));
}

async function createStorageAdapter(config: AppConfig): Promise<RecordingStorage> {
  if (config.storage === 'webdav') {
    if (!config.webdav) throw new Error('RWS_STORAGE=webdav needs WEBDAV_URL');
    return new WebDavRecordingStorage(new WebDavClient(config.webdav));
  }
  const storage = new FilesystemRecordingStorage(join(config.dataDir, 'storage'));
  await storage.init();
  return storage;
}

/** Binds the RecordingStorage port to the adapter of RWS_STORAGE (global: uploads, playback and releases use it). */
@Global()
@Module({})
export class StorageModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: RecordingStorage, useFactory: () => createRecordingStorage(config) }, StorageLifecycle],
      exports: [RecordingStorage],
    };
  }
}
