import { ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';

/** A recording that does not exist, or that the caller may not see (the two are indistinguishable). */
export class RecordingNotFoundException extends RwsException {
  constructor(recordingId: string) {
    super(ErrorCode.NotFound, `Requested recording [${recordingId}] cannot be found.`);
  }
}
