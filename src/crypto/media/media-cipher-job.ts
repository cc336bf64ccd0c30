import type { StreamJob } from '../../common/workers/stream-job';
import type { MediaIntegrity } from './chunk-integrity';
import { MediaCipher } from './media-cipher';

/** Path of this job module, for StreamJobPool.transform. */
export const MEDIA_CIPHER_JOB_MODULE = __filename;

/** The key material as it crosses to the worker (structured clone turns Buffers into Uint8Arrays). */
export interface MediaCipherJobParams {
  contentKey: Uint8Array;
  iv: Uint8Array;
  chunkSize?: number;
}

/** MediaCipher on a worker thread: plaintext in, tagged ciphertext out, the integrity record at the end. */
export function createStreamJob(params: MediaCipherJobParams): StreamJob<MediaIntegrity> {
  const contentKey = Buffer.from(params.contentKey);
  const cipher = new MediaCipher({ contentKey, iv: Buffer.from(params.iv) }, params.chunkSize);
  // The cipher holds its own key schedule: the copies that crossed the thread boundary are not needed any more.
  contentKey.fill(0);
  params.contentKey.fill(0);
  return {
    update: (chunk) => cipher.update(chunk),
    final: () => {
      const { ciphertext, integrity } = cipher.final();
      return { output: ciphertext, result: integrity };
    },
    dispose: () => cipher.dispose(),
  };
}
