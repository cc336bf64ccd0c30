import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { CassandraConnection, CqlOptions, CqlStatement } from '../../src/persistence/cassandra/cassandra-connection';
import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import type { RecordingSearch } from '../../src/recordings/recording-query';
import { RecordingStore } from '../../src/recordings/recording.store';
import { openPersistence } from '../support/persistence-harness';
import { recordingDocument } from '../support/recording-fixtures';
import { expectEventually } from '../support/test-app';

jest.setTimeout(60_000);

/**
 * The Cassandra adapter writes a recording's lookup entries after its document, in separate requests: a
 * writer can be overtaken between the two. These tests hold one writer's entry batches back on purpose.
 */
describe('Cassandra recording lookup entries (cassandra only)', () => {
  let moduleRef: TestingModule;
  let store: RecordingStore;
  let cql: CassandraConnection;
  let ccid: string;
  let heldBatches = 0;
  let hold: Promise<void> | undefined;

  beforeAll(async () => {
    moduleRef = await openPersistence('cassandra');
    store = moduleRef.get(RecordingStore);
    cql = moduleRef.get(CassandraConnection);
    const batch = cql.batch.bind(cql);
    cql.batch = async (statements: CqlStatement[], options: CqlOptions & { logged?: boolean }) => {
      if (hold) {
        heldBatches++;
        await hold;
      }
      return batch(statements, options);
    };
  }, 120_000);
  afterAll(() => moduleRef?.close());
  beforeEach(() => {
    ccid = randomUUID();
  });

  const post = (agentId: string) => {
    const insert = parseInsertDocument(recordingDocument({ id: 'LATE', mediaFiles: [{ mediaId: `${agentId}.mp3`, parameters: { agentId } }] }), ccid);
    return store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert));
  };
  const searchDayAs = (agentId: string): RecordingSearch => ({
    ccid,
    region: 'region1',
    filters: { fromMs: Date.parse('2014-12-16T00:00:00Z'), toMs: Date.parse('2014-12-16T23:59:59Z') },
    scope: { kind: 'restricted', agentIds: [agentId], hierarchyPrefixes: [], partitions: [] },
    limit: 100,
    maxScan: 10_000,
  });

  it('never lets an older version’s entries, written late, replace a newer version’s', async () => {
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    // The first writer stores its document, then its entry batches wait.
    const first = post('early-agent');
    await expectEventually(() => expect(heldBatches).toBeGreaterThan(0));
    hold = undefined;
    // The second writer merges into the first's document and writes all of its own entries meanwhile.
    await post('late-agent');
    release();
    await first;

    const stored = await store.get(ccid, 'LATE');
    expect(stored!.mediaFiles.map((m) => m.mediaId).sort()).toEqual(['early-agent.mp3', 'late-agent.mp3']);
    // The day's entries carry the merged facts (both agents), not the first writer's older ones.
    for (const agent of ['early-agent', 'late-agent']) {
      expect((await store.search(searchDayAs(agent))).recordings.map((r) => r.id)).toEqual(['LATE']);
    }
  });
});
