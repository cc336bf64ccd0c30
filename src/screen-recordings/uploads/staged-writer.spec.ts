import { randomBytes } from 'node:crypto';
import { promises as fs, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedWriter } from './staged-writer';

describe('StagedWriter', () => {
  it('writes chunks in order at the offset, in few large writes, and reports each new position', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rws-writer-')), 'x.part');
    await fs.writeFile(path, 'head');
    const handle = await fs.open(path, 'r+');
    const positions: number[] = [];
    const writer = new StagedWriter(handle, 4, (p) => positions.push(p));
    const chunks = Array.from({ length: 40 }, () => randomBytes(64 * 1024));
    for (const c of chunks) await writer.add(c);
    await writer.drained();
    await handle.close();
    expect(readFileSync(path).equals(Buffer.concat([Buffer.from('head'), ...chunks]))).toBe(true);
    expect(writer.position).toBe(4 + 40 * 64 * 1024);
    expect(positions[positions.length - 1]).toBe(writer.position);
    expect(positions.length).toBeLessThan(10);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('reports a failed write and counts only what landed', async () => {
    const failing = { writev: () => Promise.reject(new Error('ENOSPC: no space left on device')) } as unknown as fs.FileHandle;
    const writer = new StagedWriter(failing, 0);
    await writer.add(randomBytes(10));
    await expect(writer.drained()).rejects.toThrow(/ENOSPC/);
    expect(writer.position).toBe(0);
  });
});
