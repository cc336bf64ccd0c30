import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Directories held by locks of this process (the lock file alone cannot tell two of them apart). */
const heldDirs = new Set<string>();

/**
 * One process, one holder of a data directory: a lock file holding our pid, created exclusively (O_EXCL)
 * so that two processes starting together cannot both win. A lock left by a dead process (a crash) is
 * taken over; so is one carrying our own pid, which can only be left over from an earlier run (e.g. a
 * container restarted with the same pid), since holders inside this process are tracked in `heldDirs`.
 */
export class DirectoryLock {
  private held = true;

  private constructor(private readonly dir: string) {}

  static acquire(dir: string, what: string): DirectoryLock {
    if (heldDirs.has(dir)) throw new Error(`the ${what} in ${dir} is already open in this process`);
    const lockPath = join(dir, 'metadata.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lockPath, 'wx');
        try {
          writeSync(fd, String(process.pid));
        } finally {
          closeSync(fd);
        }
        heldDirs.add(dir);
        return new DirectoryLock(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(`the ${what} in ${dir} is in use by process ${holder}`);
      }
      unlinkSync(lockPath);
    }
    throw new Error(`could not lock the ${what} in ${dir}`);
  }

  /** Releases the directory, once: a second call must not release a later holder's lock. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    heldDirs.delete(this.dir);
    try {
      unlinkSync(join(this.dir, 'metadata.lock'));
    } catch {
      /* already gone */
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
