import { createHash } from 'node:crypto';
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

/** What the job tells at the end: the integrity record, and the SHA-256 and size of what it encrypted. */
export interface MediaCipherJobResult {
  integrity: MediaIntegrity;
  plaintext: { sha256: string; bytes: number };
}

/**
 * MediaCipher on a worker thread: plaintext in, tagged ciphertext out; at the end the integrity record and
 * the plaintext's SHA-256 (hashed in the same pass, so the caller need not send the bytes to a second thread).
 */
export function createStreamJob(params: MediaCipherJobParams): StreamJob<MediaCipherJobResult> {
  const contentKey = Buffer.from(params.contentKey);
  const cipher = new MediaCipher({ contentKey, iv: Buffer.from(params.iv) }, params.chunkSize);
  // The cipher holds its own key schedule: the copies that crossed the thread boundary are not needed any more.
  contentKey.fill(0);
  params.contentKey.fill(0);
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    update: (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
      return cipher.update(chunk);
    },
    final: () => {
      const { ciphertext, integrity } = cipher.final();
      return { output: ciphertext, result: { integrity, plaintext: { sha256: hash.digest('hex'), bytes } } };
    },
    dispose: () => cipher.dispose(),
  };
}
