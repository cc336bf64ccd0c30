import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

export const BASIC_REALM = 'Basic realm="RWS"';

/** Missing or bad credentials: 401 with a Basic challenge so browsers and Basic clients know what to send. */
export class UnauthenticatedException extends RwsException {
  constructor(message = 'Authentication required.') {
    super(ErrorCode.Unauthenticated, message, { headers: { 'WWW-Authenticate': BASIC_REALM } });
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
