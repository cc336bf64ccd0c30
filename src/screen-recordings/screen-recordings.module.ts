import { Module } from '@nestjs/common';
import { NodeInstance } from '../cluster/node-instance';
import { MissingScreenRecordingsController } from './missing-screen-recordings.controller';
import { ScreenEventOutbox } from './screen-event-outbox';
import { ScreenMissingDetector } from './screen-missing-detector';
import { ScreenRecordingLifecycle } from './screen-recording-lifecycle';
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
  controllers: [TusUploadsController, InternalScreenRecordingsController, ScreenRecordingsController, MissingScreenRecordingsController],
  providers: [
    ScreenRecordingsService,
    ScreenRecordingLifecycle,
    NodeInstance,
    ScreenEventOutbox,
    ScreenMissingDetector,
    ScreenSearchPageTokens,
    TusUploadsService,
    UploadExpirySweeper,
    { provide: UploadFinalizer, useClass: ScreenRecordingFinalizer },
  ],
  exports: [ScreenRecordingsService],
})
export class ScreenRecordingsModule {}
