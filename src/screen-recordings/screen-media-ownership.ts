import { ErrorCode } from '../common/errors/error-code';
import { InvalidParameterException, RwsException } from '../common/errors/rws.exception';

/**
 * Who owns an object in RWS's recording storage, read from its key: every screen recording's media lives
 * under `cc/<ccid>/screen/<recordingId>/`, written there by the upload or by the service that registers it.
 * Because recording ids are unique, the key itself names the one recording of the one contact center the
 * object belongs to: no second recording can register it, and deleting a recording never removes an object
 * under another recording's folder.
 */
export function screenMediaFolder(ccid: string, recordingId: string): string {
  return `cc/${ccid.toLowerCase()}/screen/${recordingId.toLowerCase()}/`;
}

/** Whether a storage key lies in the recording's own folder. */
export function ownsStorageKey(ccid: string, recordingId: string, key: string): boolean {
  return key.startsWith(screenMediaFolder(ccid, recordingId));
}

/**
 * Refuses registering `key` as media of recording `recordingId` of `ccid`: outside the contact center's own
 * prefix → 403 (statusCode 3); in another recording's folder → 409; elsewhere in the contact center → 400.
 */
export function requireRegistrableKey(ccid: string, recordingId: string, key: string, field: string): void {
  if (ownsStorageKey(ccid, recordingId, key)) return;
  const ownPrefix = `cc/${ccid.toLowerCase()}/`;
  if (!key.startsWith(ownPrefix)) {
    throw new RwsException(ErrorCode.InsufficientPermissions, `Parameter '${field}' names media outside this contact center's storage.`);
  }
  if (key.startsWith(`${ownPrefix}screen/`) && key.split('/').length > 4) {
    throw new RwsException(ErrorCode.Conflict, `Parameter '${field}' names media that belongs to another recording.`);
  }
  throw new InvalidParameterException(field, `media of this recording must be stored under ${screenMediaFolder(ccid, recordingId)}`);
}
