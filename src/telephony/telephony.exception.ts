import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** SIP Server answered EventError: the operation cannot be performed now (409 with the server's error). */
export class TelephonyRefusedException extends RwsException {
  constructor(
    operation: string,
    readonly serverErrorCode: number,
    readonly serverErrorMessage: string,
  ) {
    super(ErrorCode.Conflict, `SIP Server refused ${operation}: ${serverErrorMessage || 'no reason given'} (ErrorCode ${serverErrorCode})`);
  }
}

/** The link to SIP Server is down (503, retry). */
export class TelephonyUnavailableException extends RwsException {
  constructor(retryAfterSeconds = 2) {
    super(ErrorCode.DependencyUnavailable, 'Service temporarily unavailable: SIP Server cannot be reached, retry later.', { retryAfterSeconds });
  }
}

/** SIP Server did not answer in time (504); the operation may or may not have happened. */
export class TelephonyTimeoutException extends RwsException {
  constructor(operation: string, timeoutMs: number) {
    super(ErrorCode.DependencyTimeout, `SIP Server did not answer ${operation} within ${timeoutMs} ms.`);
  }
}

/** The call is not one of the DN's current calls (404). */
export class CallNotFoundException extends RwsException {
  constructor(callId: string) {
    super(ErrorCode.NotFound, `Call [${callId}] cannot be found.`);
  }
}

/** The DN is in another agent's active session (409); only that agent may use it until its session ends. */
export class DnInUseException extends RwsException {
  constructor(dn: string) {
    super(ErrorCode.Conflict, `DN [${dn}] is in another agent's session.`);
  }
}
