import { createSHA256 } from 'hash-wasm';
import type { StreamJob } from '../../common/workers/stream-job';
import type { SegmentParams, SegmentResult } from '../../screen-recordings/media-encryption';
import { SegmentCipher } from './segment-cipher';

/** Path of this job module, for StreamJobPool.transform. */
export const SEGMENT_CIPHER_JOB_MODULE = __filename;

/**
 * One segment of an upload on a worker thread: hashes the plaintext (continuing the file's SHA-256 from a
 * saved state, so the next segment may run on another node) and encrypts it (SegmentCipher). The hash is
 * hash-wasm's, because its state can be saved and loaded; node:crypto's cannot.
 */
export async function createStreamJob(params: SegmentParams): Promise<StreamJob<SegmentResult>> {
  const hash = await createSHA256();
  if (params.hashState) hash.load(params.hashState);
  else hash.init();
  const c = params.cipher;
  const cipher = c
    ? new SegmentCipher({ contentKey: Buffer.from(c.contentKey), iv: Buffer.from(c.iv), chain: Buffer.from(c.chain), chunkIndex: c.chunkIndex, tail: Buffer.from(c.tail), chunkSize: c.chunkSize })
    : undefined;
  c?.contentKey.fill(0);
  let bytes = 0;
  return {
    update: (chunk) => {
      const take = chunk.subarray(0, Math.max(0, params.remaining - bytes));
      bytes += take.length;
      hash.update(take);
      return cipher ? cipher.update(take) : take;
    },
    final: () => {
      const last = bytes === params.remaining;
      const hashState = hash.save();
      const sha256 = last ? hash.digest('hex') : undefined;
      const finished = cipher?.finish(last);
      return { output: finished?.output, result: { plaintextBytes: bytes, hashState, sha256, cipher: finished?.end } };
    },
    dispose: () => cipher?.dispose(),
  };
}
