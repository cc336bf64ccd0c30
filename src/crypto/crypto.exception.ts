import { ErrorCode } from '../common/errors/error-code';
import { RwsException } from '../common/errors/rws.exception';

/** No such certificate in the contact center. */
export class CertificateNotFoundException extends RwsException {
  constructor(id: string) {
    super(ErrorCode.NotFound, `Certificate [${id}] cannot be found.`);
  }
}

/** The uploaded certificate or key is unusable; the message says why. */
export class InvalidCertificateException extends RwsException {
  constructor(parameter: 'certificate' | 'privateKey' | 'alias', reason: string) {
    super(ErrorCode.InvalidParameter, `Parameter '${parameter}' is invalid: ${reason}`);
  }
}

/** The certificate's state does not allow the operation (e.g. deleting the active certificate). */
export class CertificateConflictException extends RwsException {
  constructor(message: string) {
    super(ErrorCode.Conflict, message);
  }
}

/** Decrypting media needs the `decrypt` permission (or a service account of the contact center). */
export class DecryptNotPermittedException extends RwsException {
  constructor() {
    super(ErrorCode.InsufficientPermissions, 'Insufficient recording permissions: decrypting media needs the decrypt permission.');
  }
}

/**
 * The file key of a media file cannot be obtained: unreadable envelope, a certificate unknown to the
 * contact center, deleted, or whose private key RWS does not hold.
 */
export class MediaKeyUnavailableException extends RwsException {
  constructor(message: string) {
    super(ErrorCode.Conflict, message);
  }
}

/** The stored ciphertext does not decrypt to what was stored (altered, truncated, or a key that does not match). */
export class MediaDecryptionFailedException extends RwsException {
  constructor(detail: string, cause?: unknown, logDetail?: Record<string, unknown>) {
    super(ErrorCode.Conflict, `Media cannot be decrypted: ${detail}`, { cause, logDetail });
  }
}

/**
 * Screen encryption is on and the contact center has no active certificate this node can provide: media is
 * not stored in clear. 503 with Retry-After — the recorder keeps the file and completes the upload once an
 * operator has uploaded a certificate (or turned encryption off with RWS_SCREEN_ENCRYPTION=off).
 */
export class NoActiveCertificateException extends RwsException {
  constructor() {
    super(
      ErrorCode.DependencyUnavailable,
      'Service temporarily unavailable: the contact center has no active certificate for screen-recording encryption; retry later.',
      { retryAfterSeconds: 60 },
    );
  }
}
