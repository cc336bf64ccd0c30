import { Cipheriv, createCipheriv } from 'node:crypto';
import { ChunkTagger, TAG_BYTES } from './chunk-integrity';

/** Where the previous segment of a file stopped: enough to continue its AES-CBC chain and its chunk tags. */
export interface SegmentCipherStart {
  contentKey: Buffer;
  /** The last ciphertext block so far (the IV before the first segment). */
  chain: Buffer;
  /** Index of the next chunk. */
  chunkIndex: number;
  /** Plaintext received but not yet encrypted (shorter than a chunk). */
  tail: Buffer;
  /** The file key's IV (the chunk tags' key derivation salt). */
  iv: Buffer;
  chunkSize: number;
}

/** Where this segment stopped, for the next one. */
export interface SegmentCipherEnd {
  chain: Buffer;
  chunkIndex: number;
  tail: Buffer;
  /** The tags of the chunks this segment holds, concatenated. */
  tags: Buffer;
}

/**
 * One segment of a file encrypted like MediaCipher (AES-CBC, PKCS#7, a GMAC tag per ciphertext chunk), so
 * that the segments of a file put end to end are byte for byte what MediaCipher makes of the whole file.
 * A segment holds whole chunks only (the plaintext left over waits in `tail` for the next segment), so no
 * chunk tag ever spans two segments; the last segment pads. A full chunk is never the last one: the padding
 * always adds a block after it.
 */
export class SegmentCipher {
  private readonly cipher: Cipheriv;
  private readonly tagger: ChunkTagger;
  private readonly tags: Buffer[] = [];
  private pending: Buffer[];
  private pendingBytes: number;
  private chain: Buffer;
  private chunkIndex: number;

  constructor(private readonly start: SegmentCipherStart) {
    this.cipher = createCipheriv(`aes-${start.contentKey.length * 8}-cbc`, start.contentKey, start.chain);
    this.cipher.setAutoPadding(false);
    this.tagger = new ChunkTagger(start.contentKey, start.iv);
    this.pending = start.tail.length > 0 ? [start.tail] : [];
    this.pendingBytes = start.tail.length;
    this.chain = start.chain;
    this.chunkIndex = start.chunkIndex;
  }

  /** Takes plaintext; returns the ciphertext of the chunks it completes (possibly empty). */
  update(plaintext: Buffer): Buffer {
    this.pending.push(plaintext);
    this.pendingBytes += plaintext.length;
    const whole = this.pendingBytes - (this.pendingBytes % this.start.chunkSize);
    if (whole === 0) return Buffer.alloc(0);
    const all = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = whole < all.length ? [all.subarray(whole)] : [];
    this.pendingBytes -= whole;
    return this.encrypt(all.subarray(0, whole), false);
  }

  /** Ends the segment; `last` pads and encrypts the tail as the file's final chunk. */
  finish(last: boolean): { output: Buffer; end: SegmentCipherEnd } {
    let output: Buffer = Buffer.alloc(0);
    let tail = Buffer.concat(this.pending, this.pendingBytes);
    if (last) {
      const pad = 16 - (tail.length % 16);
      output = this.encrypt(Buffer.concat([tail, Buffer.alloc(pad, pad)]), true);
      tail = Buffer.alloc(0);
    }
    this.cipher.final();
    this.tagger.destroy();
    return { output, end: { chain: this.chain, chunkIndex: this.chunkIndex, tail, tags: Buffer.concat(this.tags, this.tags.length * TAG_BYTES) } };
  }

  dispose(): void {
    this.tagger.destroy();
  }

  private encrypt(plaintext: Buffer, last: boolean): Buffer {
    const ciphertext = this.cipher.update(plaintext);
    for (let at = 0; at < ciphertext.length; at += this.start.chunkSize) {
      const chunk = ciphertext.subarray(at, Math.min(at + this.start.chunkSize, ciphertext.length));
      this.tags.push(this.tagger.tagOf(this.chunkIndex++, chunk, last && at + chunk.length === ciphertext.length));
    }
    this.chain = Buffer.from(ciphertext.subarray(ciphertext.length - 16));
    return ciphertext;
  }
}
