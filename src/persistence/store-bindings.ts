import { Type } from '@nestjs/common';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { AuditLogStore } from '../identity/audit/audit-log.store';
import { RefreshTokenStore } from '../identity/tokens/refresh-token.store';
import { RevocationStore } from '../identity/tokens/revocation.store';
import { SigningKeyStore } from '../identity/tokens/signing-key.store';
import { UserStore } from '../identity/users/user.store';
import { CassandraAuditLogStore } from './cassandra/cassandra-audit-log.store';
import { CassandraContactCenterStore } from './cassandra/cassandra-contact-center.store';
import { CassandraRefreshTokenStore } from './cassandra/cassandra-refresh-token.store';
import { CassandraRevocationStore } from './cassandra/cassandra-revocation.store';
import { CassandraSigningKeyStore } from './cassandra/cassandra-signing-key.store';
import { CassandraUserStore } from './cassandra/cassandra-user.store';
import { EmbeddedAuditLogStore } from './embedded/embedded-audit-log.store';
import { EmbeddedContactCenterStore } from './embedded/embedded-contact-center.store';
import { ReleaseStore } from '../releases/release.store';
import { CassandraReleaseStore } from './cassandra/cassandra-release.store';
import { EmbeddedReleaseStore } from './embedded/embedded-release.store';
import { ScreenRecordingStore } from '../screen-recordings/screen-recording.store';
import { CassandraScreenRecordingStore } from './cassandra/cassandra-screen-recording.store';
import { EmbeddedScreenRecordingStore } from './embedded/embedded-screen-recording.store';
import { EmbeddedRefreshTokenStore } from './embedded/embedded-refresh-token.store';
import { EmbeddedRevocationStore } from './embedded/embedded-revocation.store';
import { EmbeddedSigningKeyStore } from './embedded/embedded-signing-key.store';
import { EmbeddedUserStore } from './embedded/embedded-user.store';
import { CertificateStore } from '../crypto/certificates/certificate.store';
import { CassandraCertificateStore } from './cassandra/cassandra-certificate.store';
import { EmbeddedCertificateStore } from './embedded/embedded-certificate.store';
import { RecordingLabelDefinitionStore, RecordingStore } from '../recordings/recording.store';
import { CassandraRecordingLabelDefinitionStore, CassandraRecordingStore } from './cassandra/cassandra-recording.store';
import { EmbeddedRecordingLabelDefinitionStore, EmbeddedRecordingStore } from './embedded/embedded-recording.store';
import { TelephonyResourceStore } from '../places/telephony-resource.store';
import { CassandraTelephonyResourceStore } from './cassandra/cassandra-telephony-resource.store';
import { EmbeddedTelephonyResourceStore } from './embedded/embedded-telephony-resource.store';
import { LeaseStore } from '../cluster/lease.store';
import { RetentionStore } from '../lifecycle/retention.store';
import { CassandraLeaseStore, CassandraRetentionStore } from './cassandra/cassandra-retention.store';
import { EmbeddedLeaseStore, EmbeddedRetentionStore } from './embedded/embedded-retention.store';
import { WebhookStore } from '../lifecycle/webhooks/webhook.store';
import { ExportStore } from '../lifecycle/export/export.store';
import { CassandraExportStore } from './cassandra/cassandra-export.store';
import { EmbeddedExportStore } from './embedded/embedded-export.store';
import { CassandraWebhookStore } from './cassandra/cassandra-webhook.store';
import { EmbeddedWebhookStore } from './embedded/embedded-webhook.store';
import { UploadStore } from '../screen-recordings/uploads/upload.store';
import { CassandraUploadStore } from './cassandra/cassandra-upload.store';
import { EmbeddedUploadStore } from './embedded/embedded-upload.store';

import { MediaClaimStore } from '../recordings/media-claim.store';
import { CassandraMediaClaimStore } from './cassandra/cassandra-media-claim.store';
import { EmbeddedMediaClaimStore } from './embedded/embedded-media-claim.store';
import { PendingMediaDeleteStore } from '../storage/media-deletes/pending-media-delete.store';
import { CassandraPendingMediaDeleteStore } from './cassandra/cassandra-pending-media-delete.store';
import { EmbeddedPendingMediaDeleteStore } from './embedded/embedded-pending-media-delete.store';

/** A persistence port and its adapter per metadata backend. Features add one line here per store. */
export interface StoreBinding {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  port: abstract new (...args: any[]) => unknown;
  embedded: Type<unknown>;
  cassandra: Type<unknown>;
}

export const STORE_BINDINGS: StoreBinding[] = [
  { port: ContactCenterStore, embedded: EmbeddedContactCenterStore, cassandra: CassandraContactCenterStore },
  { port: ReleaseStore, embedded: EmbeddedReleaseStore, cassandra: CassandraReleaseStore },
  { port: ScreenRecordingStore, embedded: EmbeddedScreenRecordingStore, cassandra: CassandraScreenRecordingStore },
  { port: UserStore, embedded: EmbeddedUserStore, cassandra: CassandraUserStore },
  { port: SigningKeyStore, embedded: EmbeddedSigningKeyStore, cassandra: CassandraSigningKeyStore },
  { port: RefreshTokenStore, embedded: EmbeddedRefreshTokenStore, cassandra: CassandraRefreshTokenStore },
  { port: RevocationStore, embedded: EmbeddedRevocationStore, cassandra: CassandraRevocationStore },
  { port: AuditLogStore, embedded: EmbeddedAuditLogStore, cassandra: CassandraAuditLogStore },
  { port: CertificateStore, embedded: EmbeddedCertificateStore, cassandra: CassandraCertificateStore },
  { port: RecordingStore, embedded: EmbeddedRecordingStore, cassandra: CassandraRecordingStore },
  { port: TelephonyResourceStore, embedded: EmbeddedTelephonyResourceStore, cassandra: CassandraTelephonyResourceStore },
  { port: MediaClaimStore, embedded: EmbeddedMediaClaimStore, cassandra: CassandraMediaClaimStore },
  { port: PendingMediaDeleteStore, embedded: EmbeddedPendingMediaDeleteStore, cassandra: CassandraPendingMediaDeleteStore },
  { port: RetentionStore, embedded: EmbeddedRetentionStore, cassandra: CassandraRetentionStore },
  { port: LeaseStore, embedded: EmbeddedLeaseStore, cassandra: CassandraLeaseStore },
  { port: WebhookStore, embedded: EmbeddedWebhookStore, cassandra: CassandraWebhookStore },
  { port: ExportStore, embedded: EmbeddedExportStore, cassandra: CassandraExportStore },
  { port: RecordingLabelDefinitionStore, embedded: EmbeddedRecordingLabelDefinitionStore, cassandra: CassandraRecordingLabelDefinitionStore },
  { port: UploadStore, embedded: EmbeddedUploadStore, cassandra: CassandraUploadStore },
];
