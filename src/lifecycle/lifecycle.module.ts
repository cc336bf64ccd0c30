import { Module } from '@nestjs/common';
import { ContactCentersModule } from '../contact-centers/contact-centers.module';
import { RecordingsModule } from '../recordings/recordings.module';
import { ScreenRecordingsModule } from '../screen-recordings/screen-recordings.module';
import { DeletionReceiptsService } from './deletion-receipts.service';
import { DataSubjectsController } from './erasure/data-subjects.controller';
import { DataSubjectsService } from './erasure/data-subjects.service';
import { PolicyCandidates } from './policy-candidates';
import { PurgeRunner } from './purge-runner';
import { ReceiptSigner } from './receipt-signer';
import { RetentionPoliciesService } from './retention-policies.service';
import { RetentionScheduler } from './retention-scheduler';
import { ReceiptKeyController, RetentionController } from './retention.controller';
import { ArchiveExport } from './export/archive-export';
import { ExportMembers } from './export/export-members';
import { ExportRunner } from './export/export-runner';
import { ExportScheduler } from './export/export-scheduler';
import { ExportSelectionWalker } from './export/export-selection';
import { ExportsController } from './export/exports.controller';
import { ExportsService } from './export/exports.service';
import { RecordingExporter } from './export/recording-exporter';

/**
 * Recording lifecycle (docs/lifecycle.md): retention policies with dry runs, the scheduler that applies
 * them through the recordings service's delete, signed deletion receipts, and export jobs.
 */
@Module({
  imports: [ContactCentersModule, RecordingsModule, ScreenRecordingsModule],
  controllers: [RetentionController, ReceiptKeyController, DataSubjectsController, ExportsController],
  providers: [
    RetentionPoliciesService,
    PolicyCandidates,
    PurgeRunner,
    RetentionScheduler,
    ReceiptSigner,
    DeletionReceiptsService,
    DataSubjectsService,
    ExportSelectionWalker,
    ExportMembers,
    RecordingExporter,
    ExportRunner,
    ExportScheduler,
    ArchiveExport,
    ExportsService,
  ],
})
export class LifecycleModule {}
