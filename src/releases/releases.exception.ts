import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** No such release. */
export class ReleaseNotFoundException extends RwsException {
  constructor(platform: string, version: string) {
    super(ErrorCode.NotFound, `Release [${version}] for platform [${platform}] cannot be found.`);
  }
}

/** A release with this platform and version exists already; releases are immutable. */
export class ReleaseExistsException extends RwsException {
  constructor(platform: string, version: string) {
    super(ErrorCode.Conflict, `Release [${version}] for platform [${platform}] is already published; publish a new version instead.`);
  }
}
