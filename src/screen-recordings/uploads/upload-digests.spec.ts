import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { SegmentCipher } from '../../crypto/media/segment-cipher';
import { FilesystemRecordingStorage } from '../../storage/filesystem/filesystem-recording-storage';
import { AcknowledgedBytes, UploadDigests } from './upload-digests';

const CHUNK = 256 * 1024;

/**
 * An upload stored as the PATCHes at `cuts` leave it on real storage (whole chunks per segment, the rest in
 * the tail), encrypted or in clear; what a record acknowledges after each of its PATCHes.
 */
async function storeUpload(storage: FilesystemRecordingStorage, plaintext: Buffer, cuts: number[], encrypted: boolean): Promise<Map<number, AcknowledgedBytes>> {
  const key = randomBytes(32);
  const iv = randomBytes(16);
  const states = new Map<number, AcknowledgedBytes>();
  let carried: { chain: Buffer; chunkIndex: number; tail: Buffer } = { chain: iv, chunkIndex: 0, tail: Buffer.alloc(0) };
  const segments: { key: string; size: number }[] = [];
  const folder = randomBytes(4).toString('hex');
  for (const [i, to] of cuts.entries()) {
    const from = i === 0 ? 0 : cuts[i - 1];
    let stored: Buffer;
    if (encrypted) {
      const cipher = new SegmentCipher({ contentKey: key, iv, chain: carried.chain, chunkIndex: carried.chunkIndex, tail: carried.tail, chunkSize: CHUNK });
      const out = cipher.update(plaintext.subarray(from, to));
      const { end } = cipher.finish(false);
      carried = { chain: end.chain, chunkIndex: end.chunkIndex, tail: end.tail };
      stored = out;
    } else {
      stored = plaintext.subarray(from, to);
    }
    if (stored.length > 0) {
      const object = await storage.write(`${folder}/${i}.seg`, Readable.from([stored]));
      segments.push({ key: object.key, size: object.size });
    }
    states.set(to, { segments: [...segments], cipher: encrypted ? { contentKey: Buffer.from(key), iv } : undefined, tail: encrypted ? Buffer.from(carried.tail) : Buffer.alloc(0) });
  }
  return states;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('UploadDigests (the SHA-256 of an upload whose PATCHes go to different nodes)', () => {
  let dir: string;
  let storage: FilesystemRecordingStorage;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rws-digests-'));
    storage = new FilesystemRecordingStorage(dir);
    await storage.init();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // Cuts inside chunks, on chunk boundaries, and PATCHes smaller than a chunk (bytes only in the tail).
  const plaintext = randomBytes(5 * CHUNK + 777);
  const cuts = [300_000, 2 * CHUNK, 2 * CHUNK + 999, 2 * CHUNK + 1999, 4 * CHUNK + 5, 5 * CHUNK + 777];

  it.each([
    ['encrypted', true],
    ['in clear', false],
  ])('continues a hash kept at any earlier offset, or none, from what storage and the record hold (%s)', async (_name, encrypted) => {
    const acknowledged = await storeUpload(storage, plaintext, cuts, encrypted);
    const offsets = [0, ...cuts];
    for (const [i, from] of offsets.entries()) {
      for (const to of offsets.slice(i)) {
        const digests = new UploadDigests(storage);
        // This node last appended at `from` (0: it never saw the upload).
        if (from > 0) digests.keep('u', from, createHash('sha256').update(plaintext.subarray(0, from)));
        const hash = await digests.at('u', to, () => {
          const bytes = acknowledged.get(to)!;
          return { ...bytes, cipher: bytes.cipher && { ...bytes.cipher, contentKey: Buffer.from(bytes.cipher.contentKey) } };
        });
        expect([from, to, hash.digest('hex')]).toEqual([from, to, sha256(plaintext.subarray(0, to))]);
      }
    }
  });

  it('keeps the hash it was given untouched: a PATCH that fails leaves the next one the same start', async () => {
    const digests = new UploadDigests(storage);
    digests.keep('v', 10, createHash('sha256').update(plaintext.subarray(0, 10)));
    const first = await digests.at('v', 10, () => fail('nothing to read'));
    first.update(Buffer.from('bytes of a PATCH that was not acknowledged'));
    const again = await digests.at('v', 10, () => fail('nothing to read'));
    expect(again.digest('hex')).toBe(sha256(plaintext.subarray(0, 10)));
  });

  it('fails, rather than guess, when storage holds less than the record acknowledges', async () => {
    const acknowledged = await storeUpload(storage, plaintext, cuts, true);
    const bytes = acknowledged.get(cuts[1])!;
    await expect(new UploadDigests(storage).at('w', cuts[1] + 1, () => bytes)).rejects.toThrow(/could not be read back whole/);
  });
});

function fail(why: string): never {
  throw new Error(why);
}
