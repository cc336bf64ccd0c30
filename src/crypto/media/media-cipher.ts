import { Cipheriv, createCipheriv } from 'node:crypto';
import { ChunkTag, ChunkTagger, DEFAULT_CHUNK_SIZE, MediaIntegrity } from './chunk-integrity';

/** Key material for one file: the content key and IV its pkcs7 envelope carries. */
export interface ContentKeyMaterial {
  contentKey: Buffer;
  iv: Buffer;
}

/**
 * The media encryption itself, without streams (so it can run wherever the bytes are, a worker thread
 * included): AES-CBC with PKCS#7 padding (the `<name>.bin` ciphertext, the content of the detached CMS
 * envelope), tagging each ciphertext chunk as it passes. Holds less than one cipher block and one open tag.
 */
export class MediaCipher {
  private readonly cipher: Cipheriv;
  private readonly tagger: ChunkTagger;
  private readonly tags: Buffer[] = [];
  private current: ChunkTag | undefined;
  private currentFill = 0;
  private plaintextSize = 0;
  private ciphertextSize = 0;

  constructor(
    material: ContentKeyMaterial,
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {
    if (chunkSize < 16 || chunkSize % 16 !== 0) throw new RangeError('chunk size must be a multiple of 16');
    this.cipher = createCipheriv(`aes-${material.contentKey.length * 8}-cbc`, material.contentKey, material.iv);
    this.tagger = new ChunkTagger(material.contentKey, material.iv);
  }

  /** Encrypts the next plaintext bytes; returns the ciphertext they complete (possibly empty). */
  update(plaintext: Buffer): Buffer {
    this.plaintextSize += plaintext.length;
    return this.tagged(this.cipher.update(plaintext));
  }

  /** Pads and encrypts the last block; returns it and the integrity record of the whole file. */
  final(): { ciphertext: Buffer; integrity: MediaIntegrity } {
    const ciphertext = this.tagged(this.cipher.final());
    if (this.current) this.tags.push(this.current.finish(true));
    this.tagger.destroy();
    const integrity: MediaIntegrity = {
      version: 1,
      algorithm: 'AES-256-GMAC',
      chunkSize: this.chunkSize,
      ciphertextSize: this.ciphertextSize,
      plaintextSize: this.plaintextSize,
      tags: Buffer.concat(this.tags).toString('base64'),
    };
    return { ciphertext, integrity };
  }

  /** Drops the key schedule's derived MAC key (an abandoned file). */
  dispose(): void {
    this.tagger.destroy();
  }

  private tagged(ciphertext: Buffer): Buffer {
    let offset = 0;
    while (offset < ciphertext.length) {
      // A full chunk is closed only when more bytes arrive, so the last chunk is known to be final.
      if (this.current && this.currentFill === this.chunkSize) {
        this.tags.push(this.current.finish(false));
        this.current = undefined;
      }
      if (!this.current) {
        this.current = this.tagger.begin(this.tags.length);
        this.currentFill = 0;
      }
      const take = Math.min(this.chunkSize - this.currentFill, ciphertext.length - offset);
      this.current.update(ciphertext.subarray(offset, offset + take));
      this.currentFill += take;
      offset += take;
    }
    this.ciphertextSize += ciphertext.length;
    return ciphertext;
  }
}
