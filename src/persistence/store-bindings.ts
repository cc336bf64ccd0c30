import { Type } from '@nestjs/common';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { CassandraContactCenterStore } from './cassandra/cassandra-contact-center.store';
import { EmbeddedContactCenterStore } from './embedded/embedded-contact-center.store';
import { RecordingLabelDefinitionStore, RecordingStore } from '../recordings/recording.store';
import { CassandraRecordingLabelDefinitionStore, CassandraRecordingStore } from './cassandra/cassandra-recording.store';
import { EmbeddedRecordingLabelDefinitionStore, EmbeddedRecordingStore } from './embedded/embedded-recording.store';

/** A persistence port and its adapter per metadata backend. Features add one line here per store. */
export interface StoreBinding {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  port: abstract new (...args: any[]) => unknown;
  embedded: Type<unknown>;
  cassandra: Type<unknown>;
}

export const STORE_BINDINGS: StoreBinding[] = [
  { port: ContactCenterStore, embedded: EmbeddedContactCenterStore, cassandra: CassandraContactCenterStore },
  { port: RecordingStore, embedded: EmbeddedRecordingStore, cassandra: CassandraRecordingStore },
  { port: RecordingLabelDefinitionStore, embedded: EmbeddedRecordingLabelDefinitionStore, cassandra: CassandraRecordingLabelDefinitionStore },
];
