/**
 * Fill client of the embedded-store bench, in its own process (bench/lib/child-job.ts): opens a stopped
 * server's data directory and inserts generated recordings through the embedded RecordingStore (the path
 * an HTTP insert ends in, without the HTTP), 64 in flight so that group commit batches them as it would
 * concurrent requests. Answers with the agents and a sample of ids for the searches.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { EmbeddedDatabase } from '../../src/persistence/embedded/embedded-database';
import { EmbeddedRecordingStore } from '../../src/persistence/embedded/embedded-recording.store';
import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import { serveChildJob } from '../lib/child-job';
import { agentsOf, documents, pool } from '../lib/recording-workload';

export interface FillJob {
  dataDir: string;
  ccid: string;
  /** Documents are generated in batches of `batch`, seeds counting up from `firstSeed`. */
  firstSeed: number;
  count: number;
  batch: number;
  sampleIds: number;
}

export interface FillOutcome {
  elapsedMs: number;
  agents: string[];
  ids: string[];
  error?: string;
}

serveChildJob<FillJob, FillOutcome>(async ({ dataDir, ccid, firstSeed, count, batch, sampleIds }) => {
  const db = EmbeddedDatabase.open(join(dataDir, 'metadata'));
  const store = new EmbeddedRecordingStore(db);
  const agents = new Set<string>();
  const ids: string[] = [];
  const started = performance.now();
  try {
    for (let done = 0, seed = firstSeed; done < count; seed++) {
      const docs = documents(seed, Math.min(batch, count - done));
      agentsOf(docs).forEach((a) => agents.add(a));
      for (const d of docs) if (ids.length < sampleIds) ids.push(d.id as string);
      await pool(docs, 64, async (doc) => {
        const insert = parseInsertDocument(doc, ccid);
        await store.upsert(ccid, insert.id, (current) => mergeRecording(current, insert));
      });
      done += docs.length;
    }
  } finally {
    await db.close();
  }
  return { elapsedMs: performance.now() - started, agents: [...agents], ids };
});
