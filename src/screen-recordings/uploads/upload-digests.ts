import { createDecipheriv, createHash, type Decipheriv, type Hash } from 'node:crypto';
import type { RecordingStorage } from '../../storage/recording-storage';
import type { UploadSegment } from './upload.store';

/** What an upload's acknowledged plaintext is made of: its stored segments, then the tail its record keeps. */
export interface AcknowledgedBytes {
  /** In file order; each holds whole chunks, so its plaintext is exactly as long as it is. */
  segments: readonly Pick<UploadSegment, 'key' | 'size'>[];
  /** The file key and IV when the segments are encrypted (AES-CBC, one chain across all segments). */
  cipher?: { contentKey: Buffer; iv: Buffer };
  /** Plaintext acknowledged past the last segment (shorter than a chunk; empty in clear). */
  tail: Buffer;
}

/** Uploads whose hash this node keeps between PATCHes (a few hundred bytes each). */
const CAPACITY = 2_000;

/**
 * The SHA-256 of each upload, continued PATCH after PATCH with node:crypto (SHA-NI: about 6× faster than a
 * hash whose state could be saved in the record). A node keeps the hash of every upload it appended to. When
 * a PATCH comes to it at a later offset — the upload's previous PATCHes went to other nodes — it reads and
 * decrypts only what those stored since, from the segments and the record's tail. So an upload spread over N
 * nodes costs each node at most one extra read of the file, and one that stays on a node costs none.
 */
export class UploadDigests {
  private readonly known = new Map<string, { offset: number; hash: Hash }>();

  constructor(private readonly storage: RecordingStorage) {}

  /** The hash of the upload's first `offset` bytes, to be continued by the PATCH at `offset`. */
  async at(uploadId: string, offset: number, acknowledged: () => AcknowledgedBytes): Promise<Hash> {
    const kept = this.known.get(uploadId);
    const from = kept && kept.offset <= offset ? kept : { offset: 0, hash: createHash('sha256') };
    const hash = from.hash.copy();
    if (from.offset === offset) return hash;
    const bytes = acknowledged();
    try {
      await this.catchUp(hash, from.offset, offset, bytes);
    } finally {
      bytes.cipher?.contentKey.fill(0);
    }
    return hash;
  }

  /** Keeps the hash after an acknowledged PATCH; it must not be updated any more. */
  keep(uploadId: string, offset: number, hash: Hash): void {
    this.known.delete(uploadId);
    this.known.set(uploadId, { offset, hash });
    if (this.known.size > CAPACITY) this.known.delete(this.known.keys().next().value!);
  }

  forget(uploadId: string): void {
    this.known.delete(uploadId);
  }

  /** Hashes the acknowledged bytes [from, to). */
  private async catchUp(hash: Hash, from: number, to: number, bytes: AcknowledgedBytes): Promise<void> {
    let hashed = 0;
    let start = 0;
    let decipher: Decipheriv | undefined;
    for (const [i, segment] of bytes.segments.entries()) {
      const end = start + segment.size;
      if (end > from && start < to) {
        decipher ??= bytes.cipher && (await this.decipherFrom(bytes, i));
        let skip = Math.max(0, from - start);
        const { stream } = await this.storage.read(segment.key);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          const plain = decipher ? decipher.update(chunk) : chunk;
          const used = plain.subarray(Math.min(skip, plain.length));
          skip -= plain.length - used.length;
          hash.update(used);
          hashed += used.length;
        }
      }
      start = end;
    }
    const tail = bytes.tail.subarray(Math.max(0, from - start));
    hash.update(tail);
    hashed += tail.length;
    if (hashed !== to - from) throw new Error(`upload bytes ${from}–${to} could not be read back whole (${hashed} bytes)`);
  }

  /** CBC continues across segments: segment i is decrypted with the last ciphertext block before it as IV. */
  private async decipherFrom(bytes: AcknowledgedBytes, index: number): Promise<Decipheriv> {
    const { contentKey, iv } = bytes.cipher!;
    let chain = iv;
    if (index > 0) {
      const previous = bytes.segments[index - 1];
      const { stream } = await this.storage.read(previous.key, { start: previous.size - 16, end: previous.size - 1 });
      const blocks: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) blocks.push(chunk);
      chain = Buffer.concat(blocks);
    }
    const decipher = createDecipheriv(`aes-${contentKey.length * 8}-cbc`, contentKey, chain);
    decipher.setAutoPadding(false);
    return decipher;
  }
}
