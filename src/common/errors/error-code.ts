/**
 * The API's error kinds. Each maps to one HTTP status and the RWS envelope's numeric `statusCode`
 * (api.md §1). Modules throw RwsException subclasses with one of these; one filter renders them.
 */
export enum ErrorCode {
  InvalidParameter = 'INVALID_PARAMETER',
  Unauthenticated = 'UNAUTHENTICATED',
  InsufficientPermissions = 'INSUFFICIENT_PERMISSIONS',
  InsufficientRoles = 'INSUFFICIENT_ROLES',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RangeNotSatisfiable = 'RANGE_NOT_SATISFIABLE',
  PreconditionFailed = 'PRECONDITION_FAILED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  DependencyUnavailable = 'DEPENDENCY_UNAVAILABLE',
  DependencyTimeout = 'DEPENDENCY_TIMEOUT',
  InsufficientStorage = 'INSUFFICIENT_STORAGE',
  Internal = 'INTERNAL',
}

interface Rendering {
  httpStatus: number;
  statusCode: number;
}

/** HTTP status and envelope statusCode per error kind. */
export const ERROR_RENDERING: Record<ErrorCode, Rendering> = {
  [ErrorCode.InvalidParameter]: { httpStatus: 400, statusCode: 2 },
  // The original answers 401 without a documented statusCode; 1 keeps the envelope uniform.
  [ErrorCode.Unauthenticated]: { httpStatus: 401, statusCode: 1 },
  [ErrorCode.InsufficientPermissions]: { httpStatus: 403, statusCode: 3 },
  [ErrorCode.InsufficientRoles]: { httpStatus: 403, statusCode: 5 },
  [ErrorCode.NotFound]: { httpStatus: 404, statusCode: 6 },
  [ErrorCode.Conflict]: { httpStatus: 409, statusCode: 7 },
  [ErrorCode.PayloadTooLarge]: { httpStatus: 413, statusCode: 8 },
  [ErrorCode.RangeNotSatisfiable]: { httpStatus: 416, statusCode: 2 },
  // A protocol precondition the client does not meet (tus: another Tus-Resumable version).
  [ErrorCode.PreconditionFailed]: { httpStatus: 412, statusCode: 2 },
  // Ours (the original has no rate limit): a per-source limit, always with Retry-After.
  [ErrorCode.TooManyRequests]: { httpStatus: 429, statusCode: 10 },
  [ErrorCode.DependencyUnavailable]: { httpStatus: 503, statusCode: 9 },
  [ErrorCode.DependencyTimeout]: { httpStatus: 504, statusCode: 9 },
  // WebDAV's 507: the node's own disk is full; nothing of the request was kept, it may be retried later.
  [ErrorCode.InsufficientStorage]: { httpStatus: 507, statusCode: 9 },
  [ErrorCode.Internal]: { httpStatus: 500, statusCode: 4 },
};

export const INTERNAL_ERROR_MESSAGE = 'Internal server error - please contact administrator.';
