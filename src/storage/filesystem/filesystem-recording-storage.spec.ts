import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { StorageInvalidKeyException, StorageObjectExistsException } from '../storage.exception';
import { FilesystemRecordingStorage } from './filesystem-recording-storage';

/** Filesystem specifics beyond the shared contract (test/contract/recording-storage.contract-spec.ts). */
describe('FilesystemRecordingStorage', () => {
  let dir: string;
  let storage: FilesystemRecordingStorage;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rws-fs-storage-'));
    storage = new FilesystemRecordingStorage(join(dir, 'storage'));
    await storage.init();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one of many concurrent writers of a key win, whole', async () => {
    // Slow sources, so that every writer is past the existence check before any publishes.
    const source = (fill: number) =>
      Readable.from(
        (async function* () {
          for (let i = 0; i < 4; i++) {
            await new Promise((r) => setTimeout(r, 5));
            yield Buffer.alloc(64 * 1024, fill);
          }
        })(),
      );
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => storage.write('race/key.bin', source(i + 1))));
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StorageObjectExistsException);
    const stored = readFileSync(join(dir, 'storage', 'race', 'key.bin'));
    expect(stored.equals(Buffer.alloc(4 * 64 * 1024, winners[0]))).toBe(true);
    expect(readdirSync(join(dir, 'storage', 'race'))).toEqual(['key.bin']);
  });

  it('refuses a key below an existing object', async () => {
    await storage.write('obj', Readable.from([Buffer.from('x')]));
    await expect(storage.write('obj/child', Readable.from([Buffer.from('y')]))).rejects.toBeInstanceOf(StorageInvalidKeyException);
  });

  it('does not follow a key onto a directory', async () => {
    await storage.write('d/file', Readable.from([Buffer.from('x')]));
    await expect(storage.stat('d')).resolves.toBeUndefined();
    await expect(storage.delete('d')).resolves.toBe(false);
    await expect(storage.write('d', Readable.from([Buffer.from('y')]))).rejects.toBeInstanceOf(StorageObjectExistsException);
  });

  it('fails its readiness check when the root is not writable', async () => {
    rmSync(join(dir, 'storage'), { recursive: true });
    writeFileSync(join(dir, 'storage'), 'not a directory');
    await expect(storage.check()).rejects.toThrow();
  });
});
