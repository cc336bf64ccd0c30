import type { Readable } from 'node:stream';
import type { Principal } from '../../identity/principal';
import type { UploadRecord } from './upload-staging';

/**
 * What the upload protocol asks of the screen-recordings domain: whether an upload may start, and how a
 * complete one becomes a stored recording. Keeps tus mechanics apart from encryption, storage and metadata.
 */
export abstract class UploadFinalizer {
  /** Checks a new upload's metadata for this caller; returns the contact center it belongs to, or throws. */
  abstract accept(principal: Principal, metadata: Record<string, string>, length: number): Promise<{ ccid: string }>;

  /**
   * Stores the complete upload durably (verifying its SHA-256) and records its metadata. Resolves only when
   * both are durable. Throws UploadChecksumMismatchException for bad bytes, or a 503-kind error to retry.
   */
  abstract finalize(record: UploadRecord, open: () => Readable): Promise<void>;
}
