import { Module } from '@nestjs/common';
import { ReleaseSigner } from './release-signer';
import { ReleasesController } from './releases.controller';
import { ReleasesService } from './releases.service';

/** Screen-recorder client updates: publishing, latest-for-platform, downloads. */
@Module({ controllers: [ReleasesController], providers: [ReleasesService, ReleaseSigner], exports: [ReleasesService] })
export class ReleasesModule {}
