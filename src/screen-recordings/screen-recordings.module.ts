import { Module } from '@nestjs/common';
import { InternalScreenRecordingsController } from './internal-screen-recordings.controller';
import { ScreenRecordingFinalizer } from './screen-recording-finalizer';
import { ScreenRecordingsController } from './screen-recordings.controller';
import { ScreenRecordingsService } from './screen-recordings.service';
import { ScreenSearchPageTokens } from './screen-search-page-tokens';
import { TusUploadsController } from './uploads/tus-uploads.controller';
import { TusUploadsService } from './uploads/tus-uploads.service';
import { UploadExpirySweeper } from './uploads/upload-expiry';
import { UploadFinalizer } from './uploads/upload-finalizer';

/** Screen recordings: resumable uploads, metadata, RWS-compatible and public read APIs. Media is encrypted through the (global) CryptoModule's MediaEncryption. */
@Module({
  controllers: [TusUploadsController, InternalScreenRecordingsController, ScreenRecordingsController],
  providers: [
    ScreenRecordingsService,
    ScreenSearchPageTokens,
    TusUploadsService,
    UploadExpirySweeper,
    { provide: UploadFinalizer, useClass: ScreenRecordingFinalizer },
  ],
  exports: [ScreenRecordingsService],
})
export class ScreenRecordingsModule {}
