import { Cipher, createCipheriv } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { ChunkTag, ChunkTagger, DEFAULT_CHUNK_SIZE, MediaIntegrity } from './chunk-integrity';

/** Key material for one file: the content key and IV its pkcs7 envelope carries. */
export interface ContentKeyMaterial {
  contentKey: Buffer;
  iv: Buffer;
}

/**
 * Encrypts a media stream as AES-CBC with PKCS#7 padding (the `<name>.bin` ciphertext, the content of the
 * detached CMS envelope) and tags each ciphertext chunk as it passes. Nothing is buffered beyond what
 * the cipher holds (< 1 block): memory is flat whatever the file size.
 */
export class MediaEncryptor extends Transform {
  private readonly cipher: Cipher;
  private readonly tagger: ChunkTagger;
  private readonly tags: Buffer[] = [];
  private current: ChunkTag | undefined;
  private currentFill = 0;
  private plaintextSize = 0;
  private ciphertextSize = 0;
  private result: MediaIntegrity | undefined;

  constructor(
    material: ContentKeyMaterial,
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {
    super();
    if (chunkSize < 16 || chunkSize % 16 !== 0) throw new RangeError('chunk size must be a multiple of 16');
    this.cipher = createCipheriv(`aes-${material.contentKey.length * 8}-cbc`, material.contentKey, material.iv);
    this.tagger = new ChunkTagger(material.contentKey, material.iv);
  }

  /** The integrity record, once the stream has ended. */
  integrity(): MediaIntegrity {
    if (!this.result) throw new Error('the media stream has not finished');
    return this.result;
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.plaintextSize += data.length;
      this.emit_(this.cipher.update(data));
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.emit_(this.cipher.final());
      if (this.current) this.tags.push(this.current.finish(true));
      this.tagger.destroy();
      this.result = {
        version: 1,
        algorithm: 'AES-256-GMAC',
        chunkSize: this.chunkSize,
        ciphertextSize: this.ciphertextSize,
        plaintextSize: this.plaintextSize,
        tags: Buffer.concat(this.tags).toString('base64'),
      };
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private emit_(ciphertext: Buffer): void {
    if (ciphertext.length === 0) return;
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
    this.push(ciphertext);
  }
}
