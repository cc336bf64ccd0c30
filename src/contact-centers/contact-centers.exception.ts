import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** The contact center of the path does not exist. */
export class ContactCenterNotFoundException extends RwsException {
  constructor(ccid: string) {
    super(ErrorCode.NotFound, `Contact center [${ccid}] cannot be found.`);
  }
}
