import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { currentBootId, DurableMark, readDurableMark, syncDirectory, writeDurably } from './staging-durability';
import { StagedTail } from './staged-tail';
import { StagedWriter } from './staged-writer';

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

/** An upload and the bytes staged so far. */
export interface StagedUpload {
  record: UploadRecord;
  offset: number;
  /** When a byte was last staged (or the upload created), epoch ms: what its expiry counts from. */
  lastActivityMs: number;
}

/** Tuning of UploadStaging. */
export interface UploadStagingOptions {
  /** Appended bytes are fsync'd in the background at most this often (bounds what an OS crash loses). */
  syncIntervalMs?: number;
  /** Identity of the running kernel (tests pretend a reboot); default `/proc/sys/kernel/random/boot_id`. */
  bootId?: () => Promise<string | null>;
}

const ID = /^[A-Za-z0-9_-]{10,64}$/;
const DEFAULT_SYNC_INTERVAL_MS = 30_000;

/** Background fsync state of one upload. */
interface SyncState {
  lastAt: number;
  running?: Promise<void>;
}

/**
 * Local staging of resumable uploads under the data directory: `<id>.json` (the record, written atomically),
 * `<id>.part` (the bytes) and `<id>.durable` (how many of them were fsync'd, and under which kernel boot).
 *
 * The offset a client resumes from is the size of the part file. Appends are not fsync'd before they are
 * acknowledged: a restarted process finds every written byte in the kernel's page cache, so the size is
 * exact; only a kernel crash can lose written bytes. To never report bytes that a crash lost, `init()`
 * compares the boot id recorded with the durable mark to the running kernel's: after a reboot each part file
 * is cut back to its fsync'd length (the client resends the rest). Appends are fsync'd in the background
 * every `syncIntervalMs`, which bounds that resend.
 */
export class UploadStaging {
  /** Appends in progress, so two PATCHes to one upload never interleave. */
  private readonly busy = new Set<string>();
  private readonly syncs = new Map<string, SyncState>();
  private readonly syncIntervalMs: number;
  private bootId: string | null = null;

  constructor(
    private readonly dir: string,
    private readonly options: UploadStagingOptions = {},
  ) {
    this.syncIntervalMs = options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
  }

  /** Creates the directory and makes every staged upload's offset trustworthy after a restart or crash. */
  async init(): Promise<{ recovered: number; cut: number }> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    this.bootId = await (this.options.bootId ?? currentBootId)();
    return this.recover();
  }

  async create(record: UploadRecord): Promise<void> {
    if (!ID.test(record.id)) throw new Error('invalid upload id');
    await fs.writeFile(this.partPath(record.id), Buffer.alloc(0), { flag: 'wx', mode: 0o600 });
    await this.writeMark(record.id, 0);
    await writeDurably(this.recordPath(record.id), JSON.stringify(record));
    // The client is told the upload exists: the names must survive a crash.
    await syncDirectory(this.dir);
  }

  async get(id: string): Promise<StagedUpload | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      const record = JSON.parse(await fs.readFile(this.recordPath(id), 'utf8')) as UploadRecord;
      const { size, mtimeMs } = await fs.stat(this.partPath(id));
      return { record, offset: size, lastActivityMs: mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** The ids of every staged upload. */
  async ids(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).filter((id) => ID.test(id));
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
   * before the source ended or failed is written and counted; `onStaged` hears each new size. Returns the new
   * offset and whether the source ended cleanly; a failed write fails the append. Call inside exclusive().
   */
  async append(id: string, offset: number, source: Readable, maxBytes: number, onStaged?: (offset: number) => void): Promise<{ offset: number; complete: boolean }> {
    const handle = await fs.open(this.partPath(id), 'r+');
    const writer = new StagedWriter(handle, offset, (position) => {
      onStaged?.(position);
      this.syncInBackground(id, position);
    });
    let received = offset;
    let complete = true;
    try {
      // Chunks are queued as they arrive and written before returning (rather than piped into a write
      // stream that a vanishing client would destroy), so every received byte is written. Bytes past the
      // announced length are left unread (not destroyed: HTTP discards them after the answer).
      for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        const room = offset + maxBytes - received;
        const slice = chunk.length > room ? chunk.subarray(0, room) : chunk;
        if (slice.length > 0) {
          received += slice.length;
          await writer.add(slice);
        }
        if (chunk.length > room) {
          complete = false;
          break;
        }
      }
    } catch {
      // The client went away mid-chunk (a failed write also lands here, and drained() throws it below).
      complete = false;
    }
    try {
      await writer.drained();
    } finally {
      await handle.close();
    }
    return { offset: writer.position, complete };
  }

  /** Follows the staged bytes from the start while they grow to `length` (see StagedTail). */
  follow(id: string, staged: number, length: number, idleMs: number): StagedTail {
    return new StagedTail(this.partPath(id), staged, length, idleMs);
  }

  /** Cuts the staged bytes back to `offset` (used to un-acknowledge a final chunk that could not be stored). */
  async truncate(id: string, offset: number): Promise<void> {
    await this.syncs.get(id)?.running;
    const handle = await fs.open(this.partPath(id), 'r+');
    try {
      await handle.truncate(offset);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const mark = await readDurableMark(this.markPath(id));
    if (!mark || mark.offset > offset) await this.writeMark(id, offset);
  }

  openRead(id: string): Readable {
    return createReadStream(this.partPath(id));
  }

  async remove(id: string): Promise<void> {
    await this.syncs.get(id)?.running;
    this.syncs.delete(id);
    await fs.rm(this.recordPath(id), { force: true });
    await fs.rm(this.partPath(id), { force: true });
    await fs.rm(this.markPath(id), { force: true });
  }

  /** Starts an fsync of the part file when the last one is older than the interval; never awaited by appends. */
  private syncInBackground(id: string, offset: number): void {
    const now = Date.now();
    let state = this.syncs.get(id);
    if (!state) {
      state = { lastAt: now };
      this.syncs.set(id, state);
    }
    if (state.running || now - state.lastAt < this.syncIntervalMs) return;
    state.lastAt = now;
    const current = state;
    current.running = this.syncStaged(id, offset)
      .catch(() => undefined)
      .finally(() => (current.running = undefined));
  }

  /** Every byte below `offset` was written before this runs, so after the fsync they are durable. */
  private async syncStaged(id: string, offset: number): Promise<void> {
    const handle = await fs.open(this.partPath(id), 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await this.writeMark(id, offset);
  }

  private async writeMark(id: string, offset: number): Promise<void> {
    const mark: DurableMark = { bootId: this.bootId, offset };
    await writeDurably(this.markPath(id), JSON.stringify(mark));
  }

  /**
   * After a kernel restart (or when the boot cannot be told), cuts each part file back to its durable mark;
   * removes the files of uploads whose record never became visible.
   */
  private async recover(): Promise<{ recovered: number; cut: number }> {
    const names = await fs.readdir(this.dir);
    const records = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
    let cut = 0;
    for (const name of names) {
      const orphan = name.endsWith('.tmp') || ((name.endsWith('.part') || name.endsWith('.durable')) && !records.has(name.replace(/\.(part|durable)$/, '')));
      if (orphan) await fs.rm(join(this.dir, name), { force: true });
    }
    for (const id of records) {
      const mark = await readDurableMark(this.markPath(id));
      if (this.bootId !== null && mark?.bootId === this.bootId) continue;
      const size = await fs
        .stat(this.partPath(id))
        .then((s) => s.size)
        .catch(() => 0);
      const durable = Math.min(size, mark?.offset ?? 0);
      if (durable < size) {
        await fs.truncate(this.partPath(id), durable);
        cut++;
      }
      await this.writeMark(id, durable);
    }
    return { recovered: records.size, cut };
  }

  private partPath(id: string): string {
    return join(this.dir, `${id}.part`);
  }
  private recordPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }
  private markPath(id: string): string {
    return join(this.dir, `${id}.durable`);
  }
}

