import type { Principal } from '../identity/principal';
import type { ContentKeyMaterial } from './media/media-encryptor';

/** A fresh file key, and its `pkcs7` envelope for the contact center's active certificate. */
export interface WrappedFileKey extends ContentKeyMaterial {
  pkcs7: string;
  certificateId: string;
}

/** A file key recovered from a media file's `pkcs7`. */
export interface FileKey extends ContentKeyMaterial {
  certificateId: string;
}

/** What an unwrap is for, recorded in its audit record. */
export interface UnwrapContext {
  /** e.g. `recording/<id>/<mediaId>` */
  resource?: string;
  clientAddress?: string;
}

/**
 * The crypto service (api.md §8): wraps fresh file keys for a contact center's active certificate, and
 * unwraps file keys for authorised callers, one audit record per unwrap. In-process by default; with
 * RWS_CRYPTO_URL a remote process holds the private keys and this node holds none.
 */
export abstract class CryptoService {
  /** A new random file key wrapped for the active certificate, or undefined when the contact center has none. */
  abstract wrapForContactCenter(ccid: string): Promise<WrappedFileKey | undefined>;

  /** The file key of `pkcs7`, if `principal` may decrypt the contact center's media (403 otherwise). */
  abstract unwrapFileKey(principal: Principal, ccid: string, pkcs7: string, context?: UnwrapContext): Promise<FileKey>;
}
