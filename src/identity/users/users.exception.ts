import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';

/** No such user in this contact center. */
export class UserNotFoundException extends RwsException {
  constructor(userName: string) {
    super(ErrorCode.NotFound, `User [${userName}] cannot be found.`);
  }
}

/** The user name is taken (user names are unique across the node, regardless of case). */
export class UserNameTakenException extends RwsException {
  constructor(userName: string) {
    super(ErrorCode.Conflict, `User name [${userName}] is already taken.`);
  }
}
