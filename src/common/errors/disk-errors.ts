import { DependencyUnavailableException, InsufficientStorageException } from './rws.exception';

/** errno codes of a local disk with no room left for this write. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
/** errno codes of a local disk that cannot be written now (remounted read-only, failing device). */
const UNWRITABLE = new Set(['EROFS', 'EIO']);

/**
 * Translates a failed file-system call on the node's own disk into what the client should get: no space
 * is 507, a read-only or failing disk is 503 with Retry-After. Anything else passes through unchanged.
 */
export function translateDiskError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return err;
  if (NO_SPACE.has(code)) return new InsufficientStorageException(what, err);
  if (UNWRITABLE.has(code)) return new DependencyUnavailableException(what, err);
  return err;
}
