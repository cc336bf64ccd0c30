import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

export const BASIC_REALM = 'Basic realm="RWS"';

/** Missing or bad credentials: 401 with a Basic challenge so browsers and Basic clients know what to send. */
export class UnauthenticatedException extends RwsException {
  constructor(message = 'Authentication required.', challenge = BASIC_REALM) {
    super(ErrorCode.Unauthenticated, message, { headers: { 'WWW-Authenticate': challenge } });
  }
}

/** A Bearer token that is malformed, forged, expired, revoked or signed by a retired key (RFC 6750 challenge). */
export class InvalidTokenException extends UnauthenticatedException {
  constructor(message = 'Invalid or expired token.') {
    super(message, 'Bearer realm="RWS", error="invalid_token"');
  }
}

/**
 * Too many failed password checks for this user name or from this address: 401 (a refusal of the
 * credentials, as api.md §1 lists) with Retry-After. The password was not even checked.
 */
export class LoginThrottledException extends RwsException {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.Unauthenticated, `Too many failed sign-in attempts; retry in ${retryAfterSeconds} s.`, {
      headers: { 'WWW-Authenticate': BASIC_REALM },
      retryAfterSeconds,
    });
  }
}

/** Too many password checks from one source in a minute (429 with Retry-After); nothing was checked. */
export class RateLimitedException extends RwsException {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.TooManyRequests, `Too many sign-in requests from this address; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}

/** The caller is known but lacks a role for the endpoint (403, statusCode 5). */
export class InsufficientRolesException extends RwsException {
  constructor(message = 'Insufficient user roles.') {
    super(ErrorCode.InsufficientRoles, message);
  }
}

/** The caller is known but lacks a recording permission (403, statusCode 3). */
export class InsufficientPermissionsException extends RwsException {
  constructor(message = 'Insufficient recording permissions.') {
    super(ErrorCode.InsufficientPermissions, message);
  }
}

/** A WebSocket upgrade authenticated by the session cookie alone, from a page of a foreign origin (403, statusCode 5). */
export class ForbiddenOriginException extends RwsException {
  constructor() {
    super(ErrorCode.InsufficientRoles, 'Cross-site WebSocket request refused: Origin not allowed.');
  }
}

/** An unsafe request authenticated only by the session cookie without the matching X-CSRF-TOKEN (403, statusCode 5). */
export class CsrfTokenException extends RwsException {
  constructor() {
    super(ErrorCode.InsufficientRoles, 'Missing or invalid Csrf token');
  }
}
