import { ERROR_RENDERING, ErrorCode } from '../../common/errors/error-code';
import { RwsException } from '../../common/errors/rws.exception';

/** The upload does not exist for this caller (unknown id, or someone else's). */
export class UploadNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Upload [${id}] cannot be found.`);
  }
}

/** `Upload-Offset` does not match the bytes stored: the client must HEAD and resume from there. */
export class UploadOffsetMismatchException extends RwsException {
  constructor(expected: number, got: number) {
    super(ErrorCode.Conflict, `Upload-Offset ${got} does not match the stored offset ${expected}.`);
  }
}

/** Another request is writing to this upload now. */
export class UploadBusyException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.Conflict, `Upload [${id}] is being written by another request.`);
  }
}

/** The announced length exceeds what this node accepts. */
export class UploadTooLargeException extends RwsException {
  constructor(max: number) {
    super(ErrorCode.PayloadTooLarge, `Upload-Length exceeds the maximum of ${max} bytes.`);
  }
}

/** The complete upload does not match its announced SHA-256. */
export class UploadChecksumMismatchException extends RwsException {
  constructor() {
    super(ErrorCode.Conflict, 'The uploaded bytes do not match the announced sha256; the upload was discarded, start it again.');
  }
}

/**
 * A refusal at completion (bad checksum, recording already stored with other media, or gone) is final:
 * storing the same bytes again cannot change it. Anything else (storage or metadata unavailable) may pass.
 */
export function isFinalRefusal(err: unknown): err is RwsException {
  return err instanceof RwsException && ERROR_RENDERING[err.code].httpStatus < 500;
}
