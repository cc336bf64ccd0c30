import { createHash } from 'node:crypto';
import type { StreamJob } from '../workers/stream-job';

/** Path of this job module, for StreamJobPool.transform. */
export const DIGEST_JOB_MODULE = __filename;

/** What a digest job tells at the end. */
export interface DigestResult {
  hex: string;
  bytes: number;
}

/** Hashes the bytes that pass (unchanged) and counts them: a HashingStream that runs on a worker thread. */
export function createStreamJob(params: { algorithm: string }): StreamJob<DigestResult> {
  const hash = createHash(params.algorithm);
  let bytes = 0;
  return {
    update(chunk) {
      hash.update(chunk);
      bytes += chunk.length;
      return chunk;
    },
    final: () => ({ result: { hex: hash.digest('hex'), bytes } }),
  };
}
