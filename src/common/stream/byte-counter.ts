import { Transform, TransformCallback } from 'node:stream';

/**
 * A pass-through that counts the bytes flowing through it and, when an expected length is given, fails the
 * stream as soon as the body is longer, or at its end when it is shorter — so a wrong length never completes.
 */
export class ByteCounter extends Transform {
  private count = 0;

  constructor(
    private readonly expected: number | undefined,
    private readonly mismatch: (expected: number, received: number) => Error,
  ) {
    super();
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.expected !== undefined && this.count > this.expected) {
      callback(this.mismatch(this.expected, -1));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expected !== undefined && this.count !== this.expected) {
      callback(this.mismatch(this.expected, this.count));
      return;
    }
    callback();
  }
}
