import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** The recording does not exist, belongs to another region, or the caller may not see it (404, statusCode 6). */
export class RecordingNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Requested recording [${id}] cannot be found.`);
  }
}

/** Deleting a recording under non-delete (legal hold) is refused (409, statusCode 7). */
export class RecordingUnderNonDeleteException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.Conflict, `Recording [${id}] is under non-delete and cannot be deleted; remove non-delete first.`);
  }
}

/** A post for a recording id that another region owns (409, statusCode 7). */
export class RecordingRegionConflictException extends RwsException {
  constructor(id: string, region: string) {
    super(ErrorCode.Conflict, `Recording [${id}] already exists in region '${region}'.`);
  }
}

/** A recording feature the contact center has not enabled (403, statusCode 3). */
export class RecordingFeatureDisabledException extends RwsException {
  constructor(ccid: string, feature: string) {
    super(ErrorCode.InsufficientPermissions, `Feature ${feature} is not enabled for contact center [${ccid}].`);
  }
}

/** A label definition name already taken (409, statusCode 7). */
export class LabelDefinitionExistsException extends RwsException {
  constructor(name: string) {
    super(ErrorCode.Conflict, `Label definition [${name}] already exists.`);
  }
}
