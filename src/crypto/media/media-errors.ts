/** Why encrypted media could not be served. */
export type MediaDecryptionFailure = 'integrity' | 'padding' | 'truncated' | 'oversized';

/**
 * Stored ciphertext does not decrypt to what was stored: altered bytes (chunk tag mismatch), a wrong key
 * (tags or final padding), or a file shorter or longer than its metadata says. Never garbage bytes instead.
 */
export class MediaDecryptionError extends Error {
  constructor(
    readonly failure: MediaDecryptionFailure,
    message: string,
  ) {
    super(message);
    this.name = 'MediaDecryptionError';
  }
}
