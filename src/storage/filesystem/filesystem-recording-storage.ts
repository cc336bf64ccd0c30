import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { translateDiskError } from '../../common/errors/disk-errors';
import { ByteCounter } from '../../common/stream/byte-counter';
import { ByteRange, RecordingStorage, StorageRead, StoredObject } from '../recording-storage';
import { storageKeySegments } from '../storage-key';
import { assertRangeShape } from '../storage-range';
import {
  StorageFailureException,
  StorageInvalidKeyException,
  StorageLengthMismatchException,
  StorageObjectExistsException,
  StorageObjectNotFoundException,
  StorageRangeNotSatisfiableException,
} from '../storage.exception';

/**
 * RecordingStorage in a local directory (`${RWS_DATA_DIR}/storage`), for single-node installations and tests.
 * A write goes to a temporary dot-file beside its target (keys cannot name dot-files), is fsync'd, then
 * hard-linked to the key: link(2) fails with EEXIST instead of replacing, so publication is atomic and
 * create-exclusive even between concurrent writers; the directory is fsync'd so the new name survives a crash.
 */
export class FilesystemRecordingStorage extends RecordingStorage {
  readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  /** Creates the root directory. */
  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async write(key: string, body: Readable, options: { contentLength?: number; contentType?: string } = {}): Promise<StoredObject> {
    try {
      return await this.writeObject(key, body, options);
    } catch (err) {
      // Disk full or failing: nothing was published (the temporary file is gone), the client may retry.
      throw translateDiskError(err, 'recording storage');
    }
  }

  private async writeObject(key: string, body: Readable, options: { contentLength?: number }): Promise<StoredObject> {
    const target = this.pathOf(key);
    const dir = dirname(target);
    await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST' || err.code === 'ENOTDIR') throw new StorageInvalidKeyException(key, 'a parent segment is an object');
      throw err;
    });
    // Refuse before reading any byte when the key is taken (link below still decides races).
    if (await this.stat(key)) throw new StorageObjectExistsException(key);

    const temp = join(dir, `.tmp-${randomUUID()}`);
    const counter = new ByteCounter(options.contentLength, (expected, received) => new StorageLengthMismatchException(expected, received));
    try {
      await pipeline(body, counter, createWriteStream(temp, { flags: 'wx', mode: 0o640, flush: true }));
      await link(temp, target).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? new StorageObjectExistsException(key) : err;
      });
    } finally {
      await unlink(temp).catch(ignoreMissing);
    }
    await syncDirectory(dir);

    const stored = await stat(target);
    if (stored.size !== counter.bytes) {
      await unlink(target).catch(ignoreMissing);
      throw new StorageFailureException(`stored size of [${key}] is ${stored.size}, ${counter.bytes} bytes were written`);
    }
    return { key, size: stored.size, lastModified: stored.mtime };
  }

  async read(key: string, range?: ByteRange): Promise<StorageRead> {
    const path = this.pathOf(key);
    if (range) assertRangeShape(range);
    // Open first, then fstat: size and bytes come from the same file even if the key is deleted meanwhile.
    const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      throw isMissing(err) ? new StorageObjectNotFoundException(key) : err;
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new StorageObjectNotFoundException(key);
      const size = info.size;
      if (range && range.start >= size) throw new StorageRangeNotSatisfiableException(key, size);
      const served = range && { start: range.start, end: Math.min(range.end, size - 1) };
      const stream = handle.createReadStream(served ? { start: served.start, end: served.end } : {});
      return { stream, size, range: served };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (err) {
      if (isMissing(err as NodeJS.ErrnoException)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
      if (isMissing(err)) return undefined;
      throw err;
    });
    if (!info?.isFile()) return false;
    try {
      await unlink(path);
    } catch (err) {
      if (isMissing(err as NodeJS.ErrnoException)) return false;
      throw err;
    }
    await syncDirectory(dirname(path));
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.pathOf(prefix);
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (isMissing(err) || err.code === 'ENOTDIR') return [];
      throw err;
    });
    // Files only, and never the temporary files of writes in progress (their names start with a dot).
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => `${prefix}/${e.name}`)
      .sort();
  }

  /** The root must accept a new file: create and remove a probe. */
  async check(): Promise<void> {
    const probe = join(this.root, `.health-${randomUUID()}`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  }

  /** The absolute path of a key; validation already rules out escapes, the prefix test is a second lock. */
  private pathOf(key: string): string {
    const path = join(this.root, ...storageKeySegments(key));
    if (!path.startsWith(this.root + sep)) throw new StorageInvalidKeyException(key, 'leaves the storage root');
    return path;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ENOENT' || err.code === 'ENOTDIR';
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
