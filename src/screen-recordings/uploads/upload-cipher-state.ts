import { DEFAULT_CHUNK_SIZE } from '../../crypto/media/chunk-integrity';
import { SegmentEncryption, SegmentParams, SegmentResult, UploadFileKey } from '../media-encryption';
import type { UploadCipherState, UploadRecord } from './upload.store';

/** The secret part of an upload's state between two segments (kept sealed in its record). */
interface SecretState {
  contentKey?: Buffer;
  iv?: Buffer;
  /** Plaintext acknowledged but not yet encrypted (shorter than a chunk). */
  tail: Buffer;
  hashState?: Buffer;
}

/**
 * Carries an upload's encryption and hash from one segment to the next, whichever node writes it: the
 * public part (CBC chaining block, chunk index, envelope) in clear in the record, the file key, the
 * unencrypted tail and the hash state sealed under the master key, bound to the upload and its offset (a
 * state cannot be replayed at another offset or on another upload).
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
    if (!secret.contentKey || !secret.iv) return { hashState: secret.hashState, remaining };
    return {
      cipher: { contentKey: secret.contentKey, iv: secret.iv, chain: Buffer.from(record.cipher.chain, 'base64'), chunkIndex: record.cipher.chunkIndex, tail: secret.tail, chunkSize: DEFAULT_CHUNK_SIZE },
      hashState: secret.hashState,
      remaining,
    };
  }

  /** The state after a segment of `result.plaintextBytes` bytes. */
  next(record: UploadRecord, result: SegmentResult): UploadCipherState {
    const before = this.open(record);
    const offset = record.offset + result.plaintextBytes;
    const secret: SecretState = { contentKey: before.contentKey, iv: before.iv, tail: Buffer.from(result.cipher?.tail ?? []), hashState: Buffer.from(result.hashState) };
    const state: UploadCipherState = {
      ...record.cipher,
      chain: result.cipher ? Buffer.from(result.cipher.chain).toString('base64') : record.cipher.chain,
      chunkIndex: result.cipher?.chunkIndex ?? record.cipher.chunkIndex,
      sealed: this.seal(record.id, offset, secret),
    };
    before.contentKey?.fill(0);
    return state;
  }

  private seal(id: string, offset: number, secret: SecretState): string {
    const json = JSON.stringify({
      k: secret.contentKey?.toString('base64'),
      v: secret.iv?.toString('base64'),
      t: secret.tail.toString('base64'),
      h: secret.hashState?.toString('base64'),
    });
    return this.encryption.seal(Buffer.from(json), bindingOf(id, offset));
  }

  private open(record: UploadRecord): SecretState {
    const json = JSON.parse(this.encryption.open(record.cipher.sealed, bindingOf(record.id, record.offset)).toString('utf8')) as Record<string, string | undefined>;
    const bytes = (value: string | undefined) => (value === undefined ? undefined : Buffer.from(value, 'base64'));
    return { contentKey: bytes(json.k), iv: bytes(json.v), tail: bytes(json.t) ?? Buffer.alloc(0), hashState: bytes(json.h) };
  }
}

function bindingOf(id: string, offset: number): string {
  return `rws upload state:${id}:${offset}`;
}
