import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { DIGEST_JOB_MODULE, DigestResult } from '../stream/digest-job';
import { StreamJobPool } from './stream-job-pool';

describe('StreamJobPool', () => {
  const pool = new StreamJobPool(2);
  afterAll(() => pool.onModuleDestroy());

  it('runs a job on a worker: bytes pass through in order, the writer’s chunks stay intact, and the result comes at the end', async () => {
    // Chunks that own their memory and ones that share it alike.
    const chunks = [randomBytes(1024 * 1024), randomBytes(100), randomBytes(200_000).subarray(5), randomBytes(70_000)];
    const digest = pool.transform<DigestResult>(DIGEST_JOB_MODULE, { algorithm: 'sha256' });
    const expected = createHash('sha256');
    for (const c of chunks) expected.update(c);
    const copies = chunks.map((c) => Buffer.from(c));
    const out = await buffer(Readable.from(chunks).pipe(digest));
    expect(out.equals(Buffer.concat(copies))).toBe(true);
    expect(digest.result()).toEqual({ hex: expected.digest('hex'), bytes: out.length });
    // The writer may still hold its chunks: none was emptied by a move to the worker.
    chunks.forEach((c, i) => expect(c.equals(copies[i])).toBe(true));
  });

  it('sends chunks written while corked together, in order and intact', async () => {
    const chunks = [randomBytes(65_536), randomBytes(1), randomBytes(40_000).subarray(3), randomBytes(65_536)];
    const copies = chunks.map((c) => Buffer.from(c));
    const digest = pool.transform<DigestResult>(DIGEST_JOB_MODULE, { algorithm: 'sha256' });
    const runs = jest.spyOn(digest, '_writev');
    const out = buffer(digest);
    digest.cork();
    for (const c of chunks) digest.write(c);
    digest.uncork();
    // Four writes, one run handed to the worker.
    expect(runs).toHaveBeenCalledTimes(1);
    expect(runs.mock.calls[0][0]).toHaveLength(4);
    digest.end();
    expect((await out).equals(Buffer.concat(copies))).toBe(true);
    expect(digest.result().hex).toBe(createHash('sha256').update(Buffer.concat(copies)).digest('hex'));
    chunks.forEach((c, i) => expect(c.equals(copies[i])).toBe(true));
  });

  it('runs jobs side by side, and again after many have finished', async () => {
    for (let round = 0; round < 3; round++) {
      const inputs = [randomBytes(300_000), randomBytes(500_000), randomBytes(10)];
      const results = await Promise.all(
        inputs.map(async (input) => {
          const digest = pool.transform<DigestResult>(DIGEST_JOB_MODULE, { algorithm: 'sha256' });
          await pipeline(Readable.from([Buffer.from(input)]), digest, async (source: AsyncIterable<Buffer>) => {
            for await (const _ of source);
          });
          return digest.result().hex;
        }),
      );
      expect(results).toEqual(inputs.map((i) => createHash('sha256').update(i).digest('hex')));
    }
  });

  it('fails the stream when the job fails', async () => {
    const digest = pool.transform<DigestResult>(DIGEST_JOB_MODULE, { algorithm: 'no-such-hash' });
    await expect(pipeline(Readable.from([randomBytes(10)]), digest, async (source: AsyncIterable<Buffer>) => {
      for await (const _ of source);
    })).rejects.toThrow(/digest|hash|not supported|Invalid/i);
  });
});
