import { createDecipheriv } from 'node:crypto';
import { bothInOrder } from '../../common/async/both-in-order';
import type { Readable } from 'node:stream';
import { ByteRead, streamByteRead } from '../../storage/byte-read';
import { MediaIntegrity } from './chunk-integrity';
import { MediaDecryptionError } from './media-errors';
import type { ContentKeyMaterial } from './media-encryptor';
import { BLOCK, CiphertextLayout, pkcs7PaddingLength, planRange } from './range-plan';
import { RangeDecryptor } from './range-decryptor';

/** Where ciphertext comes from (recording storage in production, a buffer or file in tests and benchmarks). */
export interface CiphertextSource {
  /** Size of the stored ciphertext (only needed for media without an integrity record). */
  size(): Promise<number>;
  /** The ciphertext bytes [start, end], inclusive. */
  read(start: number, end: number): Promise<Readable>;
  /** The same bytes delivered to a sink (cheaper where storage has a dedicated reader); `read` serves otherwise. */
  openRead?(start: number, end: number): Promise<ByteRead>;
}

/** An encrypted media file ready to serve: its plaintext size, and decrypted reads of any range. */
export interface DecryptableMedia {
  plaintextSize: number;
  /** Whether chunk tags protect this file (RWS-written media); media-server files have none. */
  verified: boolean;
  /** Settles with the file key: rejects when it cannot be had (not permitted, unknown or deleted certificate…). */
  ready(): Promise<void>;
  /**
   * A stream of plaintext bytes [start, end] (inclusive; the whole file without a range). Resolves once
   * the first bytes are verified and decrypted, so a bad file or key fails before any response is sent;
   * a later failure errors the stream (never garbage bytes).
   */
  open(range?: { start: number; end: number }): Promise<Readable>;
}

/**
 * Prepares decryption of one file. With an integrity record the sizes come from it, so nothing waits for
 * the key: `open` asks storage for the ciphertext while the key is still being unwrapped, and decrypts
 * nothing before both are there (a key that fails closes the read; its error is the one reported).
 * Without one (legacy media) the last ciphertext block is decrypted first: its padding gives the plaintext
 * size and catches a wrong key before anything is served.
 */
export async function prepareDecryption(
  key: ContentKeyMaterial | Promise<ContentKeyMaterial>,
  source: CiphertextSource,
  integrity?: MediaIntegrity,
): Promise<DecryptableMedia> {
  const material = Promise.resolve(key);
  // Observed here so that a key that fails while nobody waits for it yet is not an unhandled rejection.
  material.catch(() => undefined);
  const layout: CiphertextLayout = integrity
    ? { ciphertextSize: integrity.ciphertextSize, plaintextSize: integrity.plaintextSize, chunkSize: integrity.chunkSize }
    : await probeLegacyLayout(material, source);
  const tags = integrity ? Buffer.from(integrity.tags, 'base64') : undefined;
  return {
    plaintextSize: layout.plaintextSize,
    verified: integrity !== undefined,
    ready: async () => {
      await material;
    },
    async open(range) {
      const plan = planRange(layout, range);
      const opening = source.openRead ? source.openRead(plan.readStart, plan.readEnd) : source.read(plan.readStart, plan.readEnd).then(streamByteRead);
      const [{ contentKey, iv }, ciphertext] = await bothInOrder(material, opening, (read) => read.cancel());
      const decryptor = new RangeDecryptor({
        contentKey,
        iv,
        plan,
        ciphertextSize: layout.ciphertextSize,
        plaintextSize: layout.plaintextSize,
        integrity: tags && layout.chunkSize ? { chunkSize: layout.chunkSize, tags } : undefined,
      });
      // The consumer learns of a later failure from the destroyed stream (pipeline, iteration); this listener
      // only keeps one that fails before the consumer attached from being an unhandled 'error' event.
      decryptor.on('error', () => undefined);
      const ready = firstBytesReady(decryptor);
      decryptor.attach(ciphertext);
      return ready;
    },
  };
}

async function probeLegacyLayout(key: Promise<ContentKeyMaterial>, source: CiphertextSource): Promise<CiphertextLayout> {
  const [material, ciphertextSize] = await bothInOrder(key, source.size());
  if (ciphertextSize < BLOCK || ciphertextSize % BLOCK !== 0) {
    throw new MediaDecryptionError('truncated', `the stored ciphertext (${ciphertextSize} bytes) is not a whole number of AES blocks`);
  }
  const tailStart = Math.max(0, ciphertextSize - 2 * BLOCK);
  const tail = await readAll(await source.read(tailStart, ciphertextSize - 1), ciphertextSize - tailStart);
  const iv = tail.length === 2 * BLOCK ? tail.subarray(0, BLOCK) : material.iv;
  const decipher = createDecipheriv(`aes-${material.contentKey.length * 8}-cbc`, material.contentKey, iv);
  decipher.setAutoPadding(false);
  const finalBlock = Buffer.concat([decipher.update(tail.subarray(tail.length - BLOCK)), decipher.final()]);
  const pad = pkcs7PaddingLength(finalBlock);
  finalBlock.fill(0);
  if (pad === 0) throw new MediaDecryptionError('padding', 'the ciphertext does not decrypt with this key (invalid final padding)');
  return { ciphertextSize, plaintextSize: ciphertextSize - pad };
}

async function readAll(stream: Readable, expected: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const part of stream) {
    parts.push(part as Buffer);
    length += (part as Buffer).length;
    if (length > expected) throw new MediaDecryptionError('oversized', 'storage returned more ciphertext than asked for');
  }
  if (length !== expected) throw new MediaDecryptionError('truncated', 'the stored ciphertext is shorter than expected');
  return Buffer.concat(parts);
}

/** Resolves with the decryptor once its first bytes are verified (or it ended), rejects if it fails first. */
function firstBytesReady(decryptor: RangeDecryptor): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      decryptor.off('error', onError);
      resolve(decryptor);
    };
    const onError = (err: Error): void => {
      decryptor.off(RangeDecryptor.READY, onReady);
      reject(err);
    };
    decryptor.once(RangeDecryptor.READY, onReady);
    decryptor.once('error', onError);
  });
}
