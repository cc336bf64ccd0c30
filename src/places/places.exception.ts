import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** No such place in the contact center. */
export class PlaceNotFoundException extends RwsException {
  constructor(name: string) {
    super(ErrorCode.NotFound, `Place [${name}] cannot be found.`);
  }
}

/** No such DN (in the contact center, or on the switch named). */
export class DnNotFoundException extends RwsException {
  constructor(dn: string, switchName?: string) {
    super(ErrorCode.NotFound, switchName === undefined ? `DN [${dn}] cannot be found.` : `DN [${dn}] on switch [${switchName}] cannot be found.`);
  }
}

/** The agent may not use this place or DN (another contact center's DN, a place it is not assigned to). */
export class TelephonyResourceForbiddenException extends RwsException {
  constructor(reason: string) {
    super(ErrorCode.InsufficientPermissions, reason);
  }
}

/** A change that would break the model (a DN number already owned, a DN in two places, a DN still in a place). */
export class TelephonyResourceConflictException extends RwsException {
  constructor(reason: string) {
    super(ErrorCode.Conflict, reason);
  }
}
