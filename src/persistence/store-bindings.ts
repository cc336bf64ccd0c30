import { Type } from '@nestjs/common';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { CassandraContactCenterStore } from './cassandra/cassandra-contact-center.store';
import { EmbeddedContactCenterStore } from './embedded/embedded-contact-center.store';
import { ReleaseStore } from '../releases/release.store';
import { CassandraReleaseStore } from './cassandra/cassandra-release.store';
import { EmbeddedReleaseStore } from './embedded/embedded-release.store';
import { ScreenRecordingStore } from '../screen-recordings/screen-recording.store';
import { CassandraScreenRecordingStore } from './cassandra/cassandra-screen-recording.store';
import { EmbeddedScreenRecordingStore } from './embedded/embedded-screen-recording.store';
import { CertificateStore } from '../crypto/certificates/certificate.store';
import { CassandraCertificateStore } from './cassandra/cassandra-certificate.store';
import { EmbeddedCertificateStore } from './embedded/embedded-certificate.store';

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
  { port: CertificateStore, embedded: EmbeddedCertificateStore, cassandra: CassandraCertificateStore },
];
