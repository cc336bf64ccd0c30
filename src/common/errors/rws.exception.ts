import { ErrorCode } from './error-code';

/** Extra response details an exception may carry to the envelope filter. */
export interface RwsExceptionOptions {
  /** Seconds for `Retry-After` (503). */
  retryAfterSeconds?: number;
  /** Additional headers, e.g. `WWW-Authenticate` or `Content-Range`. */
  headers?: Record<string, string>;
  cause?: unknown;
  /** What the operator needs and the client must not see (a storage key, a path): logged, never answered. */
  logDetail?: Record<string, unknown>;
}

/** Base of every module's exception: an error kind plus a message safe to show the client. */
export class RwsException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: RwsExceptionOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A parameter or body field the client sent is unusable. */
export class InvalidParameterException extends RwsException {
  constructor(parameter: string, reason: string) {
    super(ErrorCode.InvalidParameter, `Parameter '${parameter}' is invalid: ${reason}`);
  }
}

/** A dependency (metadata store, storage, SIP Server, crypto service) cannot serve now; the client may retry. */
export class DependencyUnavailableException extends RwsException {
  constructor(dependency: string, cause?: unknown, retryAfterSeconds = 5) {
    super(ErrorCode.DependencyUnavailable, `Service temporarily unavailable: ${dependency} cannot be reached, retry later.`, {
      retryAfterSeconds,
      cause,
    });
  }
}

/** The node's disk (metadata store or media storage) has no room: nothing of the request was kept; retry later. */
export class InsufficientStorageException extends RwsException {
  constructor(what: string, cause?: unknown, retryAfterSeconds = 30) {
    super(ErrorCode.InsufficientStorage, `Insufficient storage: the ${what} has no space left, nothing was stored; retry later.`, {
      retryAfterSeconds,
      cause,
    });
  }
}
