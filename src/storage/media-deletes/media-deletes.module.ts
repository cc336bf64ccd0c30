import { Global, Module } from '@nestjs/common';
import { MediaDeleteQueue } from './media-delete-queue';

/**
 * The retried media deletes (global: recordings, screen recordings and releases queue into it). Kept apart from
 * StorageModule because it needs the metadata store and the audit log, which the storage adapters do not.
 */
@Global()
@Module({ providers: [MediaDeleteQueue], exports: [MediaDeleteQueue] })
export class MediaDeletesModule {}
