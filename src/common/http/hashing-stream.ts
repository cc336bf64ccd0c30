import { createHash, Hash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';

/** Passes bytes through unchanged while hashing and counting them (so a stream is hashed in one pass). */
export class HashingStream extends Transform {
  private readonly hash: Hash;
  private digest: string | undefined;
  bytes = 0;

  constructor(algorithm = 'sha256') {
    super();
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** The hex digest of every byte that passed; valid once the stream has ended. */
  digestHex(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}
