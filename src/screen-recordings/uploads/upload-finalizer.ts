import type { Principal } from '../../identity/principal';
import type { UploadRecord } from './upload.store';

/** A complete upload as stored: the (segmented) object, and what was verified of its plaintext. */
export interface StoredUpload {
  storageKey: string;
  sha256: string;
  bytes: number;
  /** The file key's envelope and the chunk tags (encrypted uploads). */
  pkcs7?: string;
  integrity?: Record<string, unknown>;
}

/** What a commit did: named the upload's object in the recording, or found the same bytes there already under another key. */
export type CommitOutcome = 'committed' | 'duplicate';

/**
 * What the upload protocol asks of the screen-recordings domain: whether an upload may start, where its
 * bytes go, and how a complete, stored one becomes a recording's media. Keeps tus mechanics apart from
 * metadata.
 */
export abstract class UploadFinalizer {
  /** Checks a new upload's metadata for this caller; returns the contact center it belongs to, or throws. */
  abstract accept(principal: Principal, metadata: Record<string, string>, length: number): Promise<{ ccid: string }>;

  /** The storage folder of the upload's segments. */
  abstract storagePrefix(record: UploadRecord): string;

  /** The key of the stored upload (a segmented object; see src/storage/segmented). */
  abstract mediaKey(record: UploadRecord, encrypted: boolean): string;

  /**
   * Names the stored upload in its recording (idempotent: a repeated commit of the same upload answers
   * 'committed'). Throws a final refusal (see isFinalRefusal) when the recording is gone or holds other
   * media, or a 503-kind error to retry.
   */
  abstract commit(record: UploadRecord, stored: StoredUpload): Promise<CommitOutcome>;

  /** The upload's bytes arrived but were refused (e.g. checksum mismatch): the recording is told why. Never throws. */
  abstract failed(record: UploadRecord, reason: string): Promise<void>;
}
