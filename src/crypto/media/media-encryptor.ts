import { Transform, TransformCallback } from 'node:stream';
import { DEFAULT_CHUNK_SIZE, MediaIntegrity } from './chunk-integrity';
import { ContentKeyMaterial, MediaCipher } from './media-cipher';

export type { ContentKeyMaterial };

/**
 * MediaCipher as a stream on the calling thread: plaintext in, ciphertext out, the integrity record once it
 * has ended. Nothing is buffered beyond what the cipher holds (< 1 block): memory is flat whatever the size.
 */
export class MediaEncryptor extends Transform {
  private readonly cipher: MediaCipher;
  private result: MediaIntegrity | undefined;

  constructor(material: ContentKeyMaterial, chunkSize = DEFAULT_CHUNK_SIZE) {
    super();
    this.cipher = new MediaCipher(material, chunkSize);
  }

  /** The integrity record, once the stream has ended. */
  integrity(): MediaIntegrity {
    if (!this.result) throw new Error('the media stream has not finished');
    return this.result;
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      const ciphertext = this.cipher.update(data);
      if (ciphertext.length > 0) this.push(ciphertext);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      const { ciphertext, integrity } = this.cipher.final();
      this.result = integrity;
      if (ciphertext.length > 0) this.push(ciphertext);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.result) this.cipher.dispose();
    callback(err);
  }
}
