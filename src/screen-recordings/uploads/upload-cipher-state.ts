import { DEFAULT_CHUNK_SIZE } from '../../crypto/media/chunk-integrity';
import { SegmentEncryption, SegmentParams, SegmentResult, UploadFileKey } from '../media-encryption';
import type { AcknowledgedBytes } from './upload-digests';
import type { UploadCipherState, UploadRecord } from './upload.store';

/** The secret part of an upload's state between two segments (kept sealed in its record). */
interface SecretState {
  contentKey?: Buffer;
  iv?: Buffer;
  /** Plaintext acknowledged but not yet encrypted (shorter than a chunk). */
  tail: Buffer;
}

/**
 * Carries an upload's encryption from one segment to the next, whichever node writes it: the public part
 * (CBC chaining block, chunk index, envelope) in clear in the record, the file key and the unencrypted tail
 * sealed under the master key, bound to the upload and its offset (a state cannot be replayed at another
 * offset or on another upload). The SHA-256 is not part of it: see UploadDigests.
 */
export class UploadCipherStates {
  constructor(private readonly encryption: SegmentEncryption) {}

  /** The state of an upload just created: its key is chosen by its first PATCH (see keyed). */
  pending(id: string): UploadCipherState {
    return { chain: '', chunkIndex: 0, sealed: this.seal(id, 0, { tail: Buffer.alloc(0) }), pending: true };
  }

  /** The record with its file key chosen, if it had none yet: a fresh key (or none when media is stored in clear). */
  async keyed(record: UploadRecord): Promise<UploadRecord> {
    return record.cipher.pending ? { ...record, cipher: await this.initial(record.id, record.ccid) } : record;
  }

  private async initial(id: string, ccid: string): Promise<UploadCipherState> {
    const key: UploadFileKey | undefined = await this.encryption.newFileKey(ccid);
    const secret: SecretState = { contentKey: key?.contentKey, iv: key?.iv, tail: Buffer.alloc(0) };
    const state: UploadCipherState = { chain: (key?.iv ?? Buffer.alloc(0)).toString('base64'), chunkIndex: 0, sealed: this.seal(id, 0, secret), ...(key ? { pkcs7: key.pkcs7 } : {}) };
    key?.contentKey.fill(0);
    return state;
  }

  /** What the segment at the record's offset starts from. */
  segmentParams(record: UploadRecord): SegmentParams {
    const secret = this.open(record);
    const remaining = record.length - record.offset;
    if (!secret.contentKey || !secret.iv) return { remaining };
    return {
      cipher: { contentKey: secret.contentKey, iv: secret.iv, chain: Buffer.from(record.cipher.chain, 'base64'), chunkIndex: record.cipher.chunkIndex, tail: secret.tail, chunkSize: DEFAULT_CHUNK_SIZE },
      remaining,
    };
  }

  /** The bytes the record acknowledges, for reading them back (the caller zeroes the key when done). */
  acknowledged(record: UploadRecord): AcknowledgedBytes {
    const secret = this.open(record);
    const cipher = secret.contentKey && secret.iv ? { contentKey: secret.contentKey, iv: secret.iv } : undefined;
    return { segments: record.segments, cipher, tail: secret.tail };
  }

  /** The state after a segment of `result.plaintextBytes` bytes. */
  next(record: UploadRecord, result: SegmentResult): UploadCipherState {
    const before = this.open(record);
    const offset = record.offset + result.plaintextBytes;
    const secret: SecretState = { contentKey: before.contentKey, iv: before.iv, tail: Buffer.from(result.cipher?.tail ?? []) };
    const state: UploadCipherState = {
      ...record.cipher,
      chain: result.cipher ? Buffer.from(result.cipher.chain).toString('base64') : record.cipher.chain,
      chunkIndex: result.cipher?.chunkIndex ?? record.cipher.chunkIndex,
      sealed: this.seal(record.id, offset, secret),
    };
    before.contentKey?.fill(0);
    return state;
  }

  /**
   * Packed as bytes (the tail may be most of a chunk: no base64 inside the sealed secret): key, IV and a
   * third part length-prefixed, then the tail. The third part (a saved hash state) is written empty and
   * skipped when read: records from before UploadDigests carry one.
   */
  private seal(id: string, offset: number, secret: SecretState): string {
    const parts = [secret.contentKey, secret.iv, undefined].map((b) => b ?? Buffer.alloc(0));
    const lengths = Buffer.from([parts[0].length, parts[1].length, parts[2].length >> 8, parts[2].length & 0xff]);
    const packed = Buffer.concat([lengths, ...parts, secret.tail]);
    const sealed = this.encryption.seal(packed, bindingOf(id, offset));
    packed.fill(0);
    return sealed;
  }

  private open(record: UploadRecord): SecretState {
    const packed = this.encryption.open(record.cipher.sealed, bindingOf(record.id, record.offset));
    const sizes = [packed[0], packed[1], (packed[2] << 8) | packed[3]];
    let at = 4;
    const [contentKey, iv] = sizes.map((n) => {
      const part = n > 0 ? Buffer.from(packed.subarray(at, at + n)) : undefined;
      at += n;
      return part;
    });
    const tail = Buffer.from(packed.subarray(at));
    packed.fill(0);
    return { contentKey, iv, tail };
  }
}

function bindingOf(id: string, offset: number): string {
  return `rws upload state:${id}:${offset}`;
}
