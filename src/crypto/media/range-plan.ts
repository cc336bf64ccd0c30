/** AES block size: CBC works in 16-byte blocks. */
export const BLOCK = 16;

/** Sizes of an encrypted media file; `chunkSize` when chunk tags exist. */
export interface CiphertextLayout {
  ciphertextSize: number;
  plaintextSize: number;
  chunkSize?: number;
}

/**
 * How to serve plaintext bytes [start, end] from AES-CBC ciphertext without decrypting from the start:
 * CBC decrypts block i from ciphertext blocks i-1 (or the IV) and i alone, so reading begins one block
 * before the range (widened to whole chunks when chunk tags must be verified).
 */
export interface RangePlan {
  /** Inclusive plaintext range served; `end = start - 1` for the empty file. */
  start: number;
  end: number;
  /** Inclusive ciphertext range to read from storage. */
  readStart: number;
  readEnd: number;
  /** Offset of the ciphertext block that serves as IV, or undefined when the envelope's IV applies. */
  ivBlockOffset?: number;
  /** Offset of the first ciphertext block to decrypt; its plaintext starts at the same offset. */
  decryptStart: number;
  /** Offset one past the last ciphertext block to decrypt. */
  decryptEnd: number;
  /** The range reaches the final block, whose PKCS#7 padding must be checked (and never served). */
  touchesLastBlock: boolean;
  /** Chunks covered by the read (chunked files only). */
  firstChunk?: number;
  lastChunk?: number;
}

/** A requested range lies outside the plaintext. */
export class RangeOutsideMediaError extends Error {}

/** Plans an inclusive plaintext range; without `range`, the whole file. */
export function planRange(layout: CiphertextLayout, range?: { start: number; end: number }): RangePlan {
  const { ciphertextSize: c, plaintextSize: p, chunkSize } = layout;
  if (c < BLOCK || c % BLOCK !== 0 || p >= c || p < c - BLOCK) throw new RangeError('ciphertext and plaintext sizes do not fit AES-CBC with PKCS#7 padding');
  const start = range?.start ?? 0;
  const end = range?.end ?? p - 1;
  if (range && (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end >= p)) {
    throw new RangeOutsideMediaError(`bytes ${start}-${end} are outside the media's ${p} bytes`);
  }
  const lastBlock = c / BLOCK - 1;
  const firstBlock = Math.floor(start / BLOCK);
  // The empty file (p = 0) still decrypts its only block, to check the padding.
  const finalBlock = end >= start ? Math.floor(end / BLOCK) : lastBlock;
  const ivBlockOffset = firstBlock > 0 ? (firstBlock - 1) * BLOCK : undefined;
  const cipherFirst = ivBlockOffset ?? firstBlock * BLOCK;
  const cipherLast = finalBlock * BLOCK + BLOCK - 1;
  const plan: RangePlan = {
    start,
    end,
    readStart: cipherFirst,
    readEnd: cipherLast,
    ivBlockOffset,
    decryptStart: firstBlock * BLOCK,
    decryptEnd: (finalBlock + 1) * BLOCK,
    touchesLastBlock: finalBlock === lastBlock,
  };
  if (chunkSize !== undefined) {
    if (chunkSize < BLOCK || chunkSize % BLOCK !== 0) throw new RangeError('chunk size must be a multiple of the AES block');
    plan.firstChunk = Math.floor(cipherFirst / chunkSize);
    plan.lastChunk = Math.floor(cipherLast / chunkSize);
    plan.readStart = plan.firstChunk * chunkSize;
    plan.readEnd = Math.min(c, (plan.lastChunk + 1) * chunkSize) - 1;
  }
  return plan;
}

/** Length of PKCS#7 padding in a decrypted final block, or 0 when the padding is invalid. */
export function pkcs7PaddingLength(finalBlock: Buffer): number {
  if (finalBlock.length !== BLOCK) return 0;
  const pad = finalBlock[BLOCK - 1];
  if (pad < 1 || pad > BLOCK) return 0;
  let bad = 0;
  for (let i = BLOCK - pad; i < BLOCK; i++) bad |= finalBlock[i] ^ pad;
  return bad === 0 ? pad : 0;
}
