import type { StreamJob } from '../../common/workers/stream-job';
import type { SegmentCipherParams } from '../../screen-recordings/media-encryption';
import { SegmentCipher, SegmentCipherEnd } from './segment-cipher';

/** Path of this job module, for StreamJobPool.transform. */
export const SEGMENT_CIPHER_JOB_MODULE = __filename;

export interface SegmentCipherJobParams {
  cipher: SegmentCipherParams;
  /** Plaintext bytes of the file still to come, this segment's included: receiving them all ends the file. */
  remaining: number;
}

/** One segment of an upload encrypted on a worker thread (SegmentCipher), continuing where the last one stopped. */
export function createStreamJob(params: SegmentCipherJobParams): StreamJob<SegmentCipherEnd> {
  const c = params.cipher;
  const cipher = new SegmentCipher({ contentKey: Buffer.from(c.contentKey), iv: Buffer.from(c.iv), chain: Buffer.from(c.chain), chunkIndex: c.chunkIndex, tail: Buffer.from(c.tail), chunkSize: c.chunkSize });
  c.contentKey.fill(0);
  let bytes = 0;
  return {
    update: (chunk) => {
      const take = chunk.subarray(0, Math.max(0, params.remaining - bytes));
      bytes += take.length;
      return cipher.update(take);
    },
    final: () => {
      const { output, end } = cipher.finish(bytes === params.remaining);
      return { output, result: end };
    },
    dispose: () => cipher.dispose(),
  };
}
