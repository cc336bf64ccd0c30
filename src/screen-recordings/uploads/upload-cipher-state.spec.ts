import { randomBytes } from 'node:crypto';
import { MasterKeyRing, SealedSecretError } from '../../crypto/keys/master-key-ring';
import { SegmentEncryption, SegmentParams, SegmentSession, UploadFileKey } from '../media-encryption';
import { UploadCipherStates } from './upload-cipher-state';
import type { UploadRecord } from './upload.store';

/** Sealing as CryptoSegmentEncryption does it (the master key ring); the key is fixed so the test can compare. */
class SealingOnly extends SegmentEncryption {
  constructor(
    private readonly ring: MasterKeyRing,
    private readonly key: UploadFileKey | undefined,
  ) {
    super();
  }
  async newFileKey(): Promise<UploadFileKey | undefined> {
    return this.key && { ...this.key, contentKey: Buffer.from(this.key.contentKey) };
  }
  segment(_params: SegmentParams): SegmentSession {
    throw new Error('not used');
  }
  seal(secret: Buffer, binding: string): string {
    return JSON.stringify(this.ring.seal(secret, binding));
  }
  open(sealed: string, binding: string): Buffer {
    return this.ring.open(JSON.parse(sealed), binding);
  }
}

function record(id: string, cipher: UploadRecord['cipher'], offset = 0): UploadRecord {
  return { id, ccid: 'cc', owner: 'cc/alice', length: 1_000_000, metadata: {}, createdAt: '', offset, version: 1, updatedAt: 0, segments: [], cipher };
}

describe('UploadCipherStates', () => {
  const ring = new MasterKeyRing(randomBytes(32));
  const key = { contentKey: randomBytes(32), iv: randomBytes(16), pkcs7: 'PEM' };
  const states = new UploadCipherStates(new SealingOnly(ring, key));

  it('chooses the file key at the first PATCH and carries key and tail to the next segment', async () => {
    const created = record('upload-aaaaaaaa', states.pending('upload-aaaaaaaa'));
    expect(created.cipher.pending).toBe(true);
    const keyed = await states.keyed(created);
    expect(keyed.cipher).toMatchObject({ pkcs7: 'PEM', chain: key.iv.toString('base64'), chunkIndex: 0 });
    const first = states.segmentParams(keyed);
    expect(Buffer.from(first.cipher!.contentKey).equals(key.contentKey)).toBe(true);

    const tail = randomBytes(1000);
    const chain = randomBytes(16);
    const next = states.next(keyed, { plaintextBytes: 263_144, cipher: { chain, chunkIndex: 1, tail, tags: randomBytes(16) } });
    const params = states.segmentParams({ ...keyed, offset: 263_144, cipher: next });
    expect(params.remaining).toBe(1_000_000 - 263_144);
    expect(Buffer.from(params.cipher!.tail).equals(tail)).toBe(true);
    // What reads the acknowledged bytes back gets the same key and tail.
    const acknowledged = states.acknowledged({ ...keyed, offset: 263_144, cipher: next });
    expect([acknowledged.cipher!.contentKey.equals(key.contentKey), acknowledged.cipher!.iv.equals(key.iv), acknowledged.tail.equals(tail)]).toEqual([true, true, true]);
    expect(Buffer.from(params.cipher!.chain).equals(chain)).toBe(true);
    expect(Buffer.from(params.cipher!.contentKey).equals(key.contentKey)).toBe(true);
    // Nothing secret in clear in the record.
    expect(next.sealed.includes(tail.toString('base64'))).toBe(false);
  });

  it('refuses a sealed state moved to another offset or another upload', async () => {
    const keyed = await states.keyed(record('upload-bbbbbbbb', states.pending('upload-bbbbbbbb')));
    expect(() => states.segmentParams({ ...keyed, offset: 5 })).toThrow(SealedSecretError);
    expect(() => states.segmentParams({ ...keyed, id: 'upload-cccccccc' })).toThrow(SealedSecretError);
  });

  it('carries no key when media is stored in clear', async () => {
    const clear = new UploadCipherStates(new SealingOnly(ring, undefined));
    const keyed = await clear.keyed(record('upload-dddddddd', clear.pending('upload-dddddddd')));
    expect(keyed.cipher.pkcs7).toBeUndefined();
    expect(clear.segmentParams(keyed)).toEqual({ remaining: 1_000_000 });
    expect(clear.acknowledged(keyed).cipher).toBeUndefined();
  });
});
