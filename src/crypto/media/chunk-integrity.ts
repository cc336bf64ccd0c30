import { CipherGCM, createCipheriv, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * What RWS keeps with a media file's metadata (next to its `pkcs7`) so that any byte range can be
 * checked: one authentication tag per fixed-size chunk of the ciphertext.
 */
export interface MediaIntegrity {
  version: 1;
  /** AES-256-GMAC over each chunk, key derived from the file key (so a wrong key fails like tampering). */
  algorithm: 'AES-256-GMAC';
  chunkSize: number;
  ciphertextSize: number;
  plaintextSize: number;
  /** Base64 of the 16-byte tags of chunks 0…n-1, concatenated. */
  tags: string;
}

/** Default chunk: 256 KiB keeps the tags of a 1 GB file at 64 KiB while a Range read verifies ≤ 2 chunks it does not need. */
export const DEFAULT_CHUNK_SIZE = 256 * 1024;
export const TAG_BYTES = 16;

/** The integrity record is unusable (as stored metadata, it was altered or written by something else). */
export class IntegrityRecordError extends Error {}

/**
 * Computes and checks chunk tags. GMAC rather than HMAC-SHA256: it runs on AES-NI/PCLMUL at several
 * GB/s (HMAC-SHA256 is ~1.4 GB/s here and would halve decrypt throughput). Each tag is
 * GMAC_k(nonce = chunk index, AAD = chunk ‖ final flag) with k = HKDF-SHA256(file key, salt = IV): unique
 * nonces per key; the index stops reordering, the final flag stops truncation at a chunk boundary.
 */
export class ChunkTagger {
  private readonly macKey: Buffer;

  constructor(contentKey: Buffer, iv: Buffer) {
    this.macKey = Buffer.from(hkdfSync('sha256', contentKey, iv, 'RWS media chunk tags v1', 32));
  }

  /** Starts the tag of chunk `index`; feed its bytes with `update`, then `finish(final)`. */
  begin(index: number): ChunkTag {
    const nonce = Buffer.alloc(12);
    nonce.writeBigUInt64BE(BigInt(index), 0);
    return new ChunkTag(createCipheriv('aes-256-gcm', this.macKey, nonce));
  }

  tagOf(index: number, chunk: Buffer, final: boolean): Buffer {
    const tag = this.begin(index);
    tag.update(chunk);
    return tag.finish(final);
  }

  /** Constant-time comparison of chunk `index`'s computed tag with the recorded one. */
  verify(index: number, chunk: Buffer, final: boolean, expected: Buffer): boolean {
    const actual = this.tagOf(index, chunk, final);
    return expected.length === TAG_BYTES && timingSafeEqual(actual, expected);
  }

  destroy(): void {
    this.macKey.fill(0);
  }
}

/** One chunk's tag in progress (GCM with only associated data is GMAC). */
export class ChunkTag {
  constructor(private readonly gcm: CipherGCM) {}

  update(bytes: Buffer): void {
    this.gcm.setAAD(bytes);
  }

  finish(final: boolean): Buffer {
    this.gcm.setAAD(Buffer.from([final ? 1 : 0]));
    this.gcm.final();
    return this.gcm.getAuthTag();
  }
}

/** Number of chunks of a ciphertext. */
export function chunkCount(ciphertextSize: number, chunkSize: number): number {
  return Math.ceil(ciphertextSize / chunkSize);
}

/** Validates a record read from metadata (untrusted shape) and returns it typed. */
export function parseMediaIntegrity(value: unknown): MediaIntegrity {
  const r = value as Partial<MediaIntegrity> | null;
  if (!r || typeof r !== 'object') throw new IntegrityRecordError('the integrity record is not an object');
  if (r.version !== 1 || r.algorithm !== 'AES-256-GMAC') throw new IntegrityRecordError('unknown integrity record version or algorithm');
  const sizes = [r.chunkSize, r.ciphertextSize, r.plaintextSize];
  if (!sizes.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) throw new IntegrityRecordError('bad sizes in the integrity record');
  const { chunkSize, ciphertextSize, plaintextSize } = r as MediaIntegrity;
  if (chunkSize < 16 || chunkSize % 16 !== 0) throw new IntegrityRecordError('the chunk size is not a positive multiple of 16');
  if (ciphertextSize < 16 || ciphertextSize % 16 !== 0 || plaintextSize >= ciphertextSize || plaintextSize < ciphertextSize - 16) {
    throw new IntegrityRecordError('the sizes in the integrity record are inconsistent with AES-CBC');
  }
  if (typeof r.tags !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(r.tags) || Buffer.byteLength(r.tags, 'base64') !== chunkCount(ciphertextSize, chunkSize) * TAG_BYTES) {
    throw new IntegrityRecordError('the integrity record does not hold one tag per chunk');
  }
  return { version: 1, algorithm: 'AES-256-GMAC', chunkSize, ciphertextSize, plaintextSize, tags: r.tags };
}

/** The recorded tag of chunk `index`. */
export function recordedTag(tags: Buffer, index: number): Buffer {
  return tags.subarray(index * TAG_BYTES, (index + 1) * TAG_BYTES);
}
