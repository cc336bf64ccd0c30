import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** The screen recording does not exist, or the caller may not see it (existence does not leak). */
export class ScreenRecordingNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Requested screen recording [${id}] cannot be found.`);
  }
}

/** The screen recording already has its media: an upload for it is refused. */
export class ScreenRecordingAlreadyStoredException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.Conflict, `Screen recording [${id}] is already stored.`);
  }
}
