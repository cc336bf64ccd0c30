import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ContactCentersModule } from '../contact-centers/contact-centers.module';
import { AgentHierarchies } from './agent-hierarchies';
import { ContactCenterCache } from './contact-center-cache';
import { InternalRecordingsController } from './internal-recordings.controller';
import { LinkedScreenRecordings } from './linked-screen-recordings';
import { ScreenRecordingsModule } from '../screen-recordings/screen-recordings.module';
import { ScreenRecordingsOfCall } from '../screen-recordings/linked-screen-recordings.adapter';
import { AuditLogRecordingSink } from './audit-log-recording-sink';
import { RecordingAuditSink } from './recording-audit';
import { OpsRecordingLabelDefinitionsController, RecordingLabelDefinitionsController } from './recording-label-definitions.controller';
import { RecordingLabelsService } from './recording-labels.service';
import { RecordingOperationsService } from './recording-operations.service';
import { RecordingSettingsService } from './recording-settings.service';
import { OpsRecordingsController } from './ops-recordings.controller';
import { RecordingsController } from './recordings.controller';
import { RecordingsService } from './recordings.service';
import { PageTokenSigner } from './search/page-token';
import { pageTokenKey } from './search/page-token-key';
import { VoiceMediaLocator } from './voice-media-locator';
import { VoiceMediaOwnership } from './voice-media-ownership';
import { VoiceMediaRemover } from './voice-media-remover';

/**
 * Voice recordings: the Recording Processor's insert, search, get, delete, non-delete and labels.
 * Seams: RecordingAuditSink → identity's audit log; LinkedScreenRecordings → the call's screen recordings.
 */
@Module({
  imports: [ContactCentersModule, ScreenRecordingsModule],
  controllers: [InternalRecordingsController, RecordingsController, OpsRecordingsController, RecordingLabelDefinitionsController, OpsRecordingLabelDefinitionsController],
  providers: [
    RecordingsService,
    AgentHierarchies,
    ContactCenterCache,
    RecordingOperationsService,
    RecordingLabelsService,
    RecordingSettingsService,
    { provide: PageTokenSigner, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new PageTokenSigner(pageTokenKey(config)) },
    { provide: RecordingAuditSink, useClass: AuditLogRecordingSink },
    { provide: LinkedScreenRecordings, useClass: ScreenRecordingsOfCall },
    VoiceMediaLocator,
    VoiceMediaOwnership,
    VoiceMediaRemover,
  ],
  exports: [RecordingsService, VoiceMediaLocator],
})
export class RecordingsModule {}
