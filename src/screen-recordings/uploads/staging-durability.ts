import { promises as fs } from 'node:fs';

/** How much of a staged part file is known to be on disk: bytes below `offset` were fsync'd. */
export interface DurableMark {
  /** Kernel boot during which the bytes past `offset` were written (null: could not be told). */
  bootId: string | null;
  offset: number;
}

/**
 * The running kernel's boot id: unchanged across process restarts, new after a reboot or kernel crash, so it
 * tells whether written-but-unsynced bytes can still be in the page cache. Null where Linux's is not available.
 */
export async function currentBootId(): Promise<string | null> {
  try {
    const id = (await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    return /^[0-9a-f-]{36}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** The mark at `path`, or undefined when missing or unreadable (callers then trust nothing). */
export async function readDurableMark(path: string): Promise<DurableMark | undefined> {
  try {
    const mark = JSON.parse(await fs.readFile(path, 'utf8')) as Partial<DurableMark>;
    if (!Number.isSafeInteger(mark.offset) || (mark.offset as number) < 0) return undefined;
    return { bootId: typeof mark.bootId === 'string' ? mark.bootId : null, offset: mark.offset as number };
  } catch {
    return undefined;
  }
}

/** Replaces `path` atomically with `text`, fsync'd (readers see the old or the new content, never a mix). */
export async function writeDurably(path: string, text: string): Promise<void> {
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

/** Makes the names created in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
