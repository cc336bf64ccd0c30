import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedTail, StagedTailIdleError } from './staged-tail';

async function readAll(tail: StagedTail): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tail) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('StagedTail', () => {
  let file: string;
  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), 'rws-tail-')), 'x.part');
  });

  it('reads what is staged, waits for what is appended, and ends at the upload length', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    writeFileSync(file, 'abc');
    const tail = new StagedTail(file, 3, 3 + 4 + big.length, 5000);
    const all = readAll(tail);
    await new Promise((r) => setTimeout(r, 30));
    appendFileSync(file, 'defg');
    tail.extend(7);
    appendFileSync(file, big);
    tail.extend(7 + big.length);
    expect((await all).equals(Buffer.concat([Buffer.from('abcdefg'), big]))).toBe(true);
    expect(tail.bytesRead).toBe(7 + big.length);
  });

  it('gives up when nothing new is staged within its idle time', async () => {
    writeFileSync(file, 'ab');
    const tail = new StagedTail(file, 2, 10, 50);
    await expect(readAll(tail)).rejects.toBeInstanceOf(StagedTailIdleError);
  });

  it('fails rather than inventing bytes when the file holds fewer than were staged', async () => {
    writeFileSync(file, 'ab');
    const tail = new StagedTail(file, 5, 5, 1000);
    await expect(readAll(tail)).rejects.toThrow(/staged file ended at 2 bytes/);
  });
});
