import type { Hash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable, Transform } from 'node:stream';
import type { RecordingStorage, StoredObject } from '../../storage/recording-storage';
import type { SegmentSession } from '../media-encryption';

const BATCH_BYTES = 1024 * 1024;

/** What one PATCH body became: how many bytes were received, and the segment object holding them (if any). */
export interface WrittenSegment {
  received: number;
  /** Absent when the bytes only went to the unencrypted tail (less than a chunk) or nothing arrived. */
  stored?: StoredObject;
}

/**
 * Streams one PATCH body through its segment's encryption into one new storage object (If-None-Match:
 * never an overwrite), as the bytes arrive: nothing is written to local disk. A client that goes away
 * mid-body still gets the bytes that arrived stored (tus keeps them); a storage failure fails the segment
 * and leaves no object (the adapters publish a write only once complete). The object is created on the first
 * ciphertext byte, so a PATCH smaller than a chunk writes none. Every byte received also goes into `hash`.
 */
export async function writeSegment(storage: RecordingStorage, session: SegmentSession, key: string, body: Readable, maxBytes: number, hash: Hash): Promise<WrittenSegment> {
  const sink = storeOutput(storage, session.stream, key);
  // Once storing failed, stop reading the client's body: the segment fails.
  const sinkFailed = sink.then(
    () => new Promise<never>(() => undefined),
    (err: unknown) => {
      session.stream.destroy();
      throw err;
    },
  );
  sinkFailed.catch(() => undefined);
  let received = 0;
  // Socket reads are ≤ 64 KiB: written corked in runs of BATCH_BYTES, so a worker-backed encryption gets
  // each run in one message (OffThreadTransform._writev) instead of a round trip per read, and no Buffer is
  // allocated to join them (fewer short-lived Buffers: see applyGcPolicy).
  let batched = 0;
  let accepted = true;
  const flush = async () => {
    if (batched === 0) return;
    batched = 0;
    session.stream.uncork();
    if (!accepted) await Promise.race([once(session.stream, 'drain'), sinkFailed]);
    accepted = true;
  };
  try {
    // Chunks are read and passed on as they come (not piped: a vanishing client must not destroy the
    // encryption); bytes past the announced length are left unread (HTTP discards them after the answer).
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      const room = maxBytes - received;
      const slice = chunk.length > room ? chunk.subarray(0, room) : chunk;
      received += slice.length;
      // Hashed here, on the event loop: node:crypto's SHA-256 costs less than the copy to a worker would.
      hash.update(slice);
      if (batched === 0) session.stream.cork();
      batched += slice.length;
      accepted = session.stream.write(slice) && accepted;
      if (batched >= BATCH_BYTES) await flush();
      if (chunk.length >= room) break;
    }
  } catch (err) {
    // The client went away mid-body: what arrived is still stored. A failed store is thrown below.
    if (session.stream.destroyed) await sink;
    void err;
  }
  await flush();
  session.stream.end();
  const stored = await sink;
  return { received, stored };
}

/** Writes what the encryption outputs to `key`, starting the write on its first byte; undefined if there was none. */
async function storeOutput(storage: RecordingStorage, output: Transform, key: string): Promise<StoredObject | undefined> {
  let put: { body: PassThrough; done: Promise<StoredObject> } | undefined;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      if (!put) {
        const body = new PassThrough();
        put = { body, done: storage.write(key, body, { contentType: 'application/octet-stream' }) };
        put.done.catch(() => undefined);
      }
      if (!put.body.write(chunk)) await Promise.race([once(put.body, 'drain'), put.done]);
    }
  } catch (err) {
    put?.body.destroy(err as Error);
    await put?.done.catch(() => undefined);
    throw err;
  }
  if (!put) return undefined;
  put.body.end();
  return put.done;
}
