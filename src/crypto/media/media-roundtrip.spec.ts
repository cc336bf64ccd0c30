import { createCipheriv, randomBytes, randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { bufferSource } from './ciphertext-sources';
import { MediaIntegrity } from './chunk-integrity';
import { prepareDecryption } from './decryptable-media';
import { MediaEncryptor } from './media-encryptor';
import { MediaDecryptionError } from './media-errors';

async function encrypt(plaintext: Buffer, chunkSize: number, key = randomBytes(32), iv = randomBytes(16)) {
  const encryptor = new MediaEncryptor({ contentKey: key, iv }, chunkSize);
  const parts: Buffer[] = [];
  await pipeline(Readable.from(piecesOf(plaintext, 1000)), encryptor, async (source: AsyncIterable<Buffer>) => {
    for await (const part of source) parts.push(part);
  });
  return { key, iv, ciphertext: Buffer.concat(parts), integrity: encryptor.integrity() };
}

function* piecesOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readRange(media: Awaited<ReturnType<typeof prepareDecryption>>, range?: { start: number; end: number }): Promise<Buffer> {
  return buffer(await media.open(range));
}

describe('MediaEncryptor', () => {
  it('writes plain AES-CBC with PKCS#7 padding (what OpenSSL and media servers write)', async () => {
    const plaintext = randomBytes(100_000);
    const { key, iv, ciphertext, integrity } = await encrypt(plaintext, 4096);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    expect(ciphertext.equals(Buffer.concat([cipher.update(plaintext), cipher.final()]))).toBe(true);
    expect(integrity).toMatchObject({ version: 1, chunkSize: 4096, ciphertextSize: ciphertext.length, plaintextSize: 100_000 });
    expect(Buffer.from(integrity.tags, 'base64').length).toBe(Math.ceil(ciphertext.length / 4096) * 16);
  });
});

describe('range decryption', () => {
  for (const size of [0, 1, 15, 16, 17, 63, 64, 65, 200, 1000]) {
    it(`serves every range of a ${size}-byte file, verified and unverified`, async () => {
      const plaintext = randomBytes(size);
      const { key, iv, ciphertext, integrity } = await encrypt(plaintext, 64);
      // Pieces smaller than, equal to and larger than a chunk: copied and in-place verification.
      for (const [withTags, pieceSize] of [[true, 7], [true, 64], [true, 200], [false, 7]] as const) {
        const media = await prepareDecryption({ contentKey: key, iv }, bufferSource(ciphertext, pieceSize), withTags ? integrity : undefined);
        expect(media.plaintextSize).toBe(size);
        expect((await readRange(media)).equals(plaintext)).toBe(true);
        const step = size > 200 ? 37 : size > 17 ? 5 : 1;
        for (let s = 0; s < size; s += step) {
          for (let e = s; e < size; e += step) {
            const got = await readRange(media, { start: s, end: e });
            if (!got.equals(plaintext.subarray(s, e + 1))) throw new Error(`range ${s}-${e} of ${size} (tags: ${withTags}, pieces of ${pieceSize}) differs`);
          }
        }
      }
    });
  }

  it('serves random ranges of a multi-chunk file with the default chunk size', async () => {
    const plaintext = randomBytes(3 * 1024 * 1024 + 5);
    const { key, iv, ciphertext, integrity } = await encrypt(plaintext, 256 * 1024);
    const media = await prepareDecryption({ contentKey: key, iv }, bufferSource(ciphertext), integrity);
    for (let i = 0; i < 40; i++) {
      const s = randomInt(plaintext.length);
      const e = Math.min(plaintext.length - 1, s + randomInt(600_000));
      expect((await readRange(media, { start: s, end: e })).equals(plaintext.subarray(s, e + 1))).toBe(true);
    }
  });
});

describe('tampering, wrong keys and truncation', () => {
  const chunkSize = 64;
  let file: Awaited<ReturnType<typeof encrypt>>;
  let plaintext: Buffer;
  beforeAll(async () => {
    plaintext = randomBytes(1000);
    file = await encrypt(plaintext, chunkSize);
  });

  async function failureOf(ciphertext: Buffer, integrity: MediaIntegrity | undefined, range?: { start: number; end: number }, key = file.key) {
    try {
      const media = await prepareDecryption({ contentKey: key, iv: file.iv }, bufferSource(ciphertext, 5), integrity);
      await readRange(media, range);
    } catch (err) {
      expect(err).toBeInstanceOf(MediaDecryptionError);
      return (err as MediaDecryptionError).failure;
    }
    return 'none';
  }

  it('detects a flipped bit in every chunk, both in full reads and in ranges that touch it', async () => {
    for (let offset = 0; offset < file.ciphertext.length; offset += 13) {
      const tampered = Buffer.from(file.ciphertext);
      tampered[offset] ^= 0x01;
      expect(await failureOf(tampered, file.integrity)).toBe('integrity');
      // A range whose decryption uses that byte (its chunk, or the block before as IV) fails too.
      const block = Math.floor(offset / 16);
      const plainStart = Math.min(block * 16, plaintext.length - 1);
      expect(await failureOf(tampered, file.integrity, { start: plainStart, end: plainStart })).toBe('integrity');
    }
  });

  it('still serves ranges in chunks that were not altered', async () => {
    const tampered = Buffer.from(file.ciphertext);
    tampered[900] ^= 0xff;
    expect(await failureOf(tampered, file.integrity, { start: 0, end: 500 })).toBe('none');
  });

  it('detects swapped chunks, truncation and extra bytes', async () => {
    const swapped = Buffer.concat([file.ciphertext.subarray(64, 128), file.ciphertext.subarray(0, 64), file.ciphertext.subarray(128)]);
    expect(await failureOf(swapped, file.integrity)).toBe('integrity');
    const truncated = file.ciphertext.subarray(0, 960);
    expect(await failureOf(truncated, file.integrity)).toBe('truncated');
    expect(await failureOf(truncated, file.integrity, { start: 950, end: 999 })).toBe('truncated');
  });

  it('detects a wrong key with tags (first chunk) and without (final padding)', async () => {
    const wrong = randomBytes(32);
    expect(await failureOf(file.ciphertext, file.integrity, undefined, wrong)).toBe('integrity');
    // Without tags a wrong key is caught by the padding probe before anything is served (fails 1 in ~256 keys).
    let caught = 0;
    for (let i = 0; i < 20; i++) if ((await failureOf(file.ciphertext, undefined, undefined, randomBytes(32))) === 'padding') caught++;
    expect(caught).toBeGreaterThanOrEqual(18);
  });

  it('fails before the first byte is served, so a response can still be an error', async () => {
    const tampered = Buffer.from(file.ciphertext);
    tampered[3] ^= 1;
    const media = await prepareDecryption({ contentKey: file.key, iv: file.iv }, bufferSource(tampered), file.integrity);
    await expect(media.open()).rejects.toBeInstanceOf(MediaDecryptionError);
  });
});
