import { createSHA256 } from 'hash-wasm';
import type { StreamJob } from '../../common/workers/stream-job';

/** Path of this job module, for StreamJobPool.transform. */
export const SEGMENT_HASH_JOB_MODULE = __filename;

export interface SegmentHashParams {
  /** The SHA-256 state after every earlier byte of the file (absent before the first). */
  hashState?: Uint8Array;
  /** Plaintext bytes of the file still to come, this segment's included: receiving them all ends the file. */
  remaining: number;
}

export interface SegmentHashResult {
  plaintextBytes: number;
  hashState: Uint8Array;
  /** Hex SHA-256 of the whole file, once its last byte passed. */
  sha256?: string;
}

/**
 * The SHA-256 of an upload, one segment at a time, on a worker thread: continues from a saved state so that
 * the next segment may run on another node. hash-wasm's, because its state can be saved and loaded
 * (node:crypto's cannot). An observer: it passes nothing on.
 */
export async function createStreamJob(params: SegmentHashParams): Promise<StreamJob<SegmentHashResult>> {
  const hash = await createSHA256();
  if (params.hashState) hash.load(params.hashState);
  else hash.init();
  let bytes = 0;
  const empty = Buffer.alloc(0);
  return {
    update: (chunk) => {
      const take = chunk.subarray(0, Math.max(0, params.remaining - bytes));
      bytes += take.length;
      hash.update(take);
      return empty;
    },
    final: () => {
      const hashState = hash.save();
      const sha256 = bytes === params.remaining ? hash.digest('hex') : undefined;
      return { result: { plaintextBytes: bytes, hashState, sha256 } };
    },
  };
}
