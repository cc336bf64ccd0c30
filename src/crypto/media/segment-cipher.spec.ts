import { randomBytes } from 'node:crypto';
import type { SegmentCipherResult, SegmentParams } from '../../screen-recordings/media-encryption';
import { MediaCipher } from './media-cipher';
import { createStreamJob as cipherJob } from './segment-cipher-job';

/** The segment job, as the worker thread runs it. */
function createStreamJob(params: Required<SegmentParams>) {
  return cipherJob(params);
}

const CHUNK = 4096;

/** Runs the segment job over `plaintext` cut at `cuts`, carrying its state from segment to segment as a record would (serialised). */
function bySegments(plaintext: Buffer, cuts: number[], key: Buffer, iv: Buffer): { ciphertext: Buffer; tags: Buffer; segments: Buffer[] } {
  const bounds = [0, ...cuts, plaintext.length];
  let carried: { chain: Buffer; chunkIndex: number; tail: Buffer } = { chain: iv, chunkIndex: 0, tail: Buffer.alloc(0) };
  const segments: Buffer[] = [];
  const tags: Buffer[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const job = createStreamJob({
      cipher: { contentKey: Buffer.from(key), iv, chain: carried.chain, chunkIndex: carried.chunkIndex, tail: carried.tail, chunkSize: CHUNK },
      remaining: plaintext.length - bounds[i],
    });
    const parts: Buffer[] = [];
    // The PATCH body arrives in uneven pieces.
    for (let at = bounds[i]; at < bounds[i + 1]; at += 1000) parts.push(job.update(plaintext.subarray(at, Math.min(at + 1000, bounds[i + 1]))));
    const { output, result: end } = job.final();
    if (output) parts.push(output);
    const result = JSON.parse(JSON.stringify(end, (_k, v: unknown) => (v instanceof Uint8Array ? { b: Buffer.from(v).toString('base64') } : v)), (_k, v: { b?: string }) =>
      v && typeof v === 'object' && typeof v.b === 'string' ? Buffer.from(v.b, 'base64') : v,
    ) as SegmentCipherResult;
    segments.push(Buffer.concat(parts));
    tags.push(Buffer.from(result.tags));
    carried = { chain: Buffer.from(result.chain), chunkIndex: result.chunkIndex, tail: Buffer.from(result.tail) };
  }
  return { ciphertext: Buffer.concat(segments), tags: Buffer.concat(tags), segments };
}

describe('segment cipher (one upload, one segment per PATCH, state carried between nodes)', () => {
  const cases: [string, number, number[]][] = [
    ['cuts inside chunks', 3 * CHUNK + 700, [100, CHUNK + 5, 2 * CHUNK + 3000]],
    ['cuts on chunk boundaries', 4 * CHUNK, [CHUNK, 3 * CHUNK]],
    ['a length that is a multiple of the chunk (the padding is a chunk of its own)', 2 * CHUNK, [CHUNK + 1]],
    ['PATCHes smaller than a chunk (bytes wait in the tail)', CHUNK + 50, [10, 20, 30, CHUNK + 49]],
    ['one PATCH', 10_000, []],
    ['one byte', 1, []],
  ];
  it.each(cases)('puts end to end exactly what MediaCipher makes of the whole file: %s', async (_name, size, cuts) => {
    const plaintext = randomBytes(size);
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const whole = new MediaCipher({ contentKey: Buffer.from(key), iv }, CHUNK);
    const expected = Buffer.concat([whole.update(plaintext), whole.final().ciphertext]);
    const integrity = new MediaCipher({ contentKey: Buffer.from(key), iv }, CHUNK);
    integrity.update(plaintext);
    const expectedTags = Buffer.from(integrity.final().integrity.tags, 'base64');

    const segmented = bySegments(plaintext, cuts, key, iv);
    expect(segmented.ciphertext.equals(expected)).toBe(true);
    expect(segmented.tags.equals(expectedTags)).toBe(true);
    // Every segment but the last holds whole chunks: no tag spans two segments.
    for (const segment of segmented.segments.slice(0, -1)) expect(segment.length % CHUNK).toBe(0);
  });
});
