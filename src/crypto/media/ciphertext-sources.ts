import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { CiphertextSource } from './decryptable-media';

/**
 * Ciphertext held in memory, streamed in pieces of `pieceSize` bytes (deliberately unaligned to AES blocks
 * by default, as network reads are). For tests, benchmarks and small in-memory media.
 */
export function bufferSource(ciphertext: Buffer, pieceSize = 4099): CiphertextSource {
  return {
    size: async () => ciphertext.length,
    read: async (start, end) => {
      const slice = ciphertext.subarray(start, Math.min(end + 1, ciphertext.length));
      return Readable.from(piecesOf(slice, pieceSize), { objectMode: false });
    },
  };
}

/** Ciphertext in a local file (tools, benchmarks; recording storage has its own adapters). */
export function fileSource(path: string): CiphertextSource {
  return {
    size: async () => (await stat(path)).size,
    read: async (start, end) => createReadStream(path, { start, end, highWaterMark: 256 * 1024 }),
  };
}

function* piecesOf(bytes: Buffer, pieceSize: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
}
