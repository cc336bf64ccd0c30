import { DependencyUnavailableException, InsufficientStorageException } from '../../common/errors/rws.exception';

/** SQLite primary result codes (the low byte of an extended code) that mean the disk, not the request, failed. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_NOMEM = 7;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_PROTOCOL = 15;
const UNAVAILABLE = new Set([SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_PROTOCOL]);
/** Extended IOERR codes that are really "no space" (e.g. a short write or a failed mmap of a full disk). */
const NO_SPACE_MESSAGES = /disk is full|no space|database or disk is full/i;

/**
 * Translates a failed SQLite call into what the client should get: a full disk is 507 (nothing stored,
 * retry later), a read-only or failing disk is 503 with Retry-After. Anything else (a bug) passes through.
 */
export function translateSqliteError(err: unknown): Error {
  const code = (err as { errcode?: unknown }).errcode;
  if (typeof code !== 'number') return err as Error;
  const primary = code & 0xff;
  if (primary === SQLITE_FULL || NO_SPACE_MESSAGES.test(String((err as Error).message))) {
    return new InsufficientStorageException('metadata store', err);
  }
  if (UNAVAILABLE.has(primary)) return new DependencyUnavailableException('metadata store', err);
  return err as Error;
}
