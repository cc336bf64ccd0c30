import { createDecipheriv, Decipheriv } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ByteRead, ByteSink } from '../../storage/byte-read';
import { ChunkTagger, recordedTag } from './chunk-integrity';
import { MediaDecryptionError } from './media-errors';
import { BLOCK, pkcs7PaddingLength, RangePlan } from './range-plan';

/** What a RangeDecryptor needs: the key, the envelope IV, the plan, and the chunk tags when recorded. */
export interface RangeDecryptorOptions {
  contentKey: Buffer;
  iv: Buffer;
  plan: RangePlan;
  ciphertextSize: number;
  plaintextSize: number;
  integrity?: { chunkSize: number; tags: Buffer };
}

/**
 * Turns the ciphertext bytes [plan.readStart, plan.readEnd] (as storage delivers them, see `attach`) into a
 * stream of the plaintext bytes [plan.start, plan.end]. With chunk tags, every chunk is verified before any
 * of its bytes is decrypted or released, so an altered or truncated file, or a wrong key, fails the stream
 * instead of yielding garbage. It is the read's sink: each piece of ciphertext is consumed (verified in
 * place, or copied into the one reused chunk buffer) before `write` returns, and the read is paused while
 * the plaintext reader lags behind.
 */
export class RangeDecryptor extends Readable implements ByteSink {
  /** Emitted once, with the first verified plaintext pushed (or at the end when the range yields none). */
  static readonly READY = 'verified-output';
  private ready = false;
  private readonly plan: RangePlan;
  private position: number;
  private decipher: Decipheriv | undefined;
  private readonly ivBlock = Buffer.alloc(BLOCK);
  private ivFill = 0;
  private plainPosition: number;
  private readonly finalBlock = Buffer.alloc(BLOCK);
  private readonly tagger: ChunkTagger | undefined;
  private readonly chunkBuffer: Buffer | undefined;
  private chunkFill = 0;
  private chunkIndex: number;
  private source: ByteRead | undefined;
  private ended = false;

  constructor(private readonly options: RangeDecryptorOptions) {
    // Room for one decrypted chunk: storage pauses after each chunk until the reader takes it.
    super({ highWaterMark: options.integrity?.chunkSize ?? 64 * 1024 });
    this.plan = options.plan;
    this.position = this.plan.readStart;
    this.plainPosition = this.plan.decryptStart;
    this.chunkIndex = this.plan.firstChunk ?? 0;
    if (options.integrity) {
      this.tagger = new ChunkTagger(options.contentKey, options.iv);
      this.chunkBuffer = Buffer.allocUnsafe(options.integrity.chunkSize);
    }
    if (this.plan.ivBlockOffset === undefined) this.startDecipher(options.iv);
  }

  /** Reads the ciphertext from `source` (resumed whenever the plaintext reader wants more, cancelled if it goes away). */
  attach(source: ByteRead): this {
    this.source = source;
    if (this.destroyed) source.cancel();
    else source.start(this);
    return this;
  }

  /** ByteSink: consumes one piece of ciphertext at once; false while the plaintext waiting to be read is a chunk or more. */
  write(data: Buffer): boolean {
    if (this.destroyed || this.ended) return false;
    try {
      if (this.position + data.length > this.plan.readEnd + 1) {
        throw new MediaDecryptionError('oversized', 'storage returned more ciphertext than the range asked for');
      }
      if (this.chunkBuffer) this.collectChunks(data);
      else this.consume(data, this.position);
      this.position += data.length;
    } catch (err) {
      this.destroy(err as Error);
      return false;
    }
    return this.readableLength < this.readableHighWaterMark;
  }

  /** ByteSink: the ciphertext is complete. */
  end(): void {
    if (this.destroyed || this.ended) return;
    this.ended = true;
    try {
      if (this.position !== this.plan.readEnd + 1) {
        throw new MediaDecryptionError('truncated', 'the stored ciphertext is shorter than its metadata says');
      }
      this.decipher?.final();
      if (this.plan.touchesLastBlock) this.releaseFinalBlock();
      this.tagger?.destroy();
      this.signalReady();
      this.push(null);
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  /** ByteSink: the read failed. */
  error(err: Error): void {
    this.destroy(err);
  }

  override _read(): void {
    this.source?.resume();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.source?.cancel();
    this.tagger?.destroy();
    this.chunkBuffer?.fill(0);
    callback(error);
  }

  /** Fills the chunk buffer; each complete chunk is verified, then decrypted. */
  private collectChunks(data: Buffer): void {
    const chunkSize = this.options.integrity!.chunkSize;
    const buffer = this.chunkBuffer!;
    let offset = 0;
    while (offset < data.length) {
      const chunkStart = this.chunkIndex * chunkSize;
      const chunkLength = Math.min(chunkSize, this.options.ciphertextSize - chunkStart);
      const take = Math.min(chunkLength - this.chunkFill, data.length - offset);
      // A whole chunk inside one piece (aligned reads, e.g. files) is verified in place, without a copy.
      const inPlace = this.chunkFill === 0 && take === chunkLength;
      if (!inPlace) data.copy(buffer, this.chunkFill, offset, offset + take);
      this.chunkFill += take;
      offset += take;
      if (this.chunkFill === chunkLength) {
        const chunk = inPlace ? data.subarray(offset - take, offset) : buffer.subarray(0, chunkLength);
        const final = chunkStart + chunkLength === this.options.ciphertextSize;
        if (!this.tagger!.verify(this.chunkIndex, chunk, final, recordedTag(this.options.integrity!.tags, this.chunkIndex))) {
          throw new MediaDecryptionError('integrity', `chunk ${this.chunkIndex} of the ciphertext fails its integrity check (altered, or the key does not match)`);
        }
        this.consume(chunk, chunkStart);
        this.chunkIndex++;
        this.chunkFill = 0;
      }
    }
  }

  /** Decrypts the part of ciphertext [offset, offset + bytes.length) that the plan needs. */
  private consume(bytes: Buffer, offset: number): void {
    const { ivBlockOffset, decryptStart, decryptEnd } = this.plan;
    if (!this.decipher && ivBlockOffset !== undefined) {
      const from = Math.max(offset, ivBlockOffset + this.ivFill);
      const to = Math.min(offset + bytes.length, ivBlockOffset + BLOCK);
      if (to > from) {
        bytes.copy(this.ivBlock, from - ivBlockOffset, from - offset, to - offset);
        this.ivFill += to - from;
        if (this.ivFill === BLOCK) this.startDecipher(this.ivBlock);
      }
    }
    const from = Math.max(offset, decryptStart);
    const to = Math.min(offset + bytes.length, decryptEnd);
    if (to > from && this.decipher) this.release(this.decipher.update(bytes.subarray(from - offset, to - offset)));
  }

  private startDecipher(iv: Buffer): void {
    this.decipher = createDecipheriv(`aes-${this.options.contentKey.length * 8}-cbc`, this.options.contentKey, iv);
    this.decipher.setAutoPadding(false);
  }

  /** Pushes the requested part of plaintext [plainPosition, +length); holds back the final block until its padding is checked. */
  private release(plaintext: Buffer): void {
    const from = this.plainPosition;
    this.plainPosition += plaintext.length;
    const finalBlockStart = this.options.ciphertextSize - BLOCK;
    if (this.plan.touchesLastBlock && this.plainPosition > finalBlockStart) {
      const holdFrom = Math.max(from, finalBlockStart);
      plaintext.copy(this.finalBlock, holdFrom - finalBlockStart, holdFrom - from);
      this.pushWithin(plaintext.subarray(0, holdFrom - from), from);
      return;
    }
    this.pushWithin(plaintext, from);
  }

  private releaseFinalBlock(): void {
    const pad = pkcs7PaddingLength(this.finalBlock);
    if (pad === 0 || this.options.ciphertextSize - pad !== this.options.plaintextSize) {
      throw new MediaDecryptionError('padding', 'the ciphertext does not decrypt with this key (invalid final padding)');
    }
    this.pushWithin(Buffer.from(this.finalBlock), this.options.ciphertextSize - BLOCK);
    this.finalBlock.fill(0);
  }

  /** Pushes the bytes of `plaintext` (starting at plaintext offset `from`) that fall inside [start, end]. */
  private pushWithin(plaintext: Buffer, from: number): void {
    const lo = Math.max(from, this.plan.start);
    const hi = Math.min(from + plaintext.length, this.plan.end + 1);
    if (hi > lo) {
      this.push(plaintext.subarray(lo - from, hi - from));
      this.signalReady();
    }
  }

  private signalReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit(RangeDecryptor.READY);
  }
}
