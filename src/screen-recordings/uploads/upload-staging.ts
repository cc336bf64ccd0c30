import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** What RWS keeps about one resumable upload while its bytes arrive. */
export interface UploadRecord {
  id: string;
  ccid: string;
  /** userName of the principal that created it; only they may continue it. */
  owner: string;
  /** Total bytes announced by `Upload-Length`. */
  length: number;
  metadata: Record<string, string>;
  createdAt: string;
}

/** An upload and the bytes durably staged so far. */
export interface StagedUpload {
  record: UploadRecord;
  offset: number;
}

const ID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * Local staging of resumable uploads under the data directory: `<id>.json` (the record, written atomically)
 * and `<id>.part` (the bytes). The offset a client resumes from is the size of the part file after an fsync,
 * so an acknowledged offset is always on disk, across client drops and process restarts alike.
 */
export class UploadStaging {
  /** Appends in progress, so two PATCHes to one upload never interleave. */
  private readonly busy = new Set<string>();

  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async create(record: UploadRecord): Promise<void> {
    if (!ID.test(record.id)) throw new Error('invalid upload id');
    await fs.writeFile(this.partPath(record.id), Buffer.alloc(0), { flag: 'wx', mode: 0o600 });
    await writeDurably(this.recordPath(record.id), JSON.stringify(record));
  }

  async get(id: string): Promise<StagedUpload | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      const record = JSON.parse(await fs.readFile(this.recordPath(id), 'utf8')) as UploadRecord;
      const { size } = await fs.stat(this.partPath(id));
      return { record, offset: size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** True while another request appends to or finalises this upload. */
  isBusy(id: string): boolean {
    return this.busy.has(id);
  }

  /** Runs `work` holding the upload's exclusive lock; returns undefined when it is already held. */
  async exclusive<T>(id: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.busy.has(id)) return undefined;
    this.busy.add(id);
    try {
      return { value: await work() };
    } finally {
      this.busy.delete(id);
    }
  }

  /**
   * Appends at most `maxBytes` of `source` at `offset` (which must be the current size). Whatever arrived
   * before the source ended or failed is fsync'd and counted; returns the new durable offset and whether the
   * source ended cleanly. Call inside exclusive().
   */
  async append(id: string, offset: number, source: Readable, maxBytes: number): Promise<{ offset: number; complete: boolean }> {
    const handle = await fs.open(this.partPath(id), 'r+');
    let position = offset;
    let complete = true;
    try {
      // Writing each chunk as it arrives (rather than through a piped write stream) means nothing that
      // was received is dropped from a buffer when the client vanishes mid-request.
      for await (const chunk of source as AsyncIterable<Buffer>) {
        const room = offset + maxBytes - position;
        const slice = chunk.length > room ? chunk.subarray(0, room) : chunk;
        if (slice.length > 0) {
          await handle.write(slice, 0, slice.length, position);
          position += slice.length;
        }
        if (chunk.length > room) {
          complete = false;
          source.destroy();
          break;
        }
      }
    } catch {
      complete = false;
    } finally {
      await handle.sync();
      await handle.close();
    }
    return { offset: position, complete };
  }

  /** Cuts the staged bytes back to `offset` (used to un-acknowledge a final chunk that could not be stored). */
  async truncate(id: string, offset: number): Promise<void> {
    const handle = await fs.open(this.partPath(id), 'r+');
    try {
      await handle.truncate(offset);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  openRead(id: string): Readable {
    return createReadStream(this.partPath(id));
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.partPath(id), { force: true });
    await fs.rm(this.recordPath(id), { force: true });
  }

  private partPath(id: string): string {
    return join(this.dir, `${id}.part`);
  }
  private recordPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, path);
}
