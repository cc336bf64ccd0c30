import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** A write was refused because the key already holds an object (storage never overwrites). */
export class StorageObjectExistsException extends RwsException {
  constructor(readonly key: string) {
    // Keys are internal (contact center, layout of the store): the client gets neutral text, the log the key.
    super(ErrorCode.Conflict, 'The object already exists in recording storage.', { logDetail: { storageKey: key } });
  }
}

/** The key holds no object. */
export class StorageObjectNotFoundException extends RwsException {
  constructor(readonly key: string) {
    super(ErrorCode.NotFound, 'The object cannot be found in recording storage.', { logDetail: { storageKey: key } });
  }
}

/** The key is not a safe relative path (`..`, absolute, empty segment, characters outside `A-Za-z0-9._-`). */
export class StorageInvalidKeyException extends RwsException {
  constructor(key: string, reason: string) {
    super(ErrorCode.InvalidParameter, `Parameter 'key' is invalid: ${reason}.`, { logDetail: { storageKey: key.slice(0, 200) } });
  }
}

/** The asked byte range lies outside the object; carries `Content-Range: bytes * /size` for the 416 answer. */
export class StorageRangeNotSatisfiableException extends RwsException {
  constructor(
    readonly key: string,
    readonly size: number,
  ) {
    super(ErrorCode.RangeNotSatisfiable, `Requested range is not satisfiable (size ${size}).`, {
      headers: { 'Content-Range': `bytes */${size}` },
      logDetail: { storageKey: key },
    });
  }
}

/** The body did not have the length the caller declared: nothing was stored. */
export class StorageLengthMismatchException extends RwsException {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(ErrorCode.InvalidParameter, `Parameter 'body' is invalid: expected ${expected} bytes, received ${received === -1 ? 'more' : received}.`);
  }
}

/** Storage refused our credentials (HTTP 401/403): a configuration problem, reported as the dependency being unusable. */
export class StorageAccessDeniedException extends RwsException {
  constructor(status: number) {
    super(ErrorCode.DependencyUnavailable, `Recording storage refused access (HTTP ${status}): check the storage credentials.`);
  }
}

/** Storage answered something we cannot use (unexpected status, stored size differs from bytes sent, …). */
export class StorageFailureException extends RwsException {
  constructor(detail: string, cause?: unknown) {
    // Internal: the client sees the generic message; the filter logs this one.
    super(ErrorCode.Internal, `Recording storage failure: ${detail}`, { cause });
  }
}
