import type { Transform } from 'node:stream';

/** The result of encrypting one media file: what playback needs to decrypt and verify it. */
export interface EncryptedMedia {
  /** CMS EnvelopedData (PEM) wrapping the file key for the contact center's active certificate. */
  pkcs7: string;
  /** Per-chunk integrity record kept with the metadata. */
  integrity: Record<string, unknown>;
}

/** What passed through an encryption, told by the encryption itself (one pass over the bytes). */
export interface PlaintextDigest {
  /** Lower-case hex SHA-256 of the plaintext. */
  sha256: string;
  bytes: number;
}

/** An encryption in progress: pipe plaintext through `stream`, then call `result()` once it has ended. */
export interface MediaEncryptionSession {
  stream: Transform;
  /** Size of the ciphertext of `plaintextBytes` bytes (known before the first byte: storage gets a Content-Length). */
  ciphertextLength(plaintextBytes: number): number;
  result(): EncryptedMedia & { plaintext: PlaintextDigest };
}

/**
 * Port to the crypto module for media RWS writes (screen recordings): a fresh key per file, wrapped for
 * the contact center's active certificate. Undefined from `begin` means an operator turned encryption off
 * (RWS_SCREEN_ENCRYPTION=off) and media is stored in clear; a contact center without a certificate otherwise
 * gets one generated (embedded default) or `begin` throws 503 until an operator uploads one.
 */
export abstract class MediaEncryption {
  abstract begin(ccid: string): Promise<MediaEncryptionSession | undefined>;
}
