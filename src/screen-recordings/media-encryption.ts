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

/** A fresh file key for an upload stored segment by segment, and its envelope. */
export interface UploadFileKey {
  contentKey: Buffer;
  iv: Buffer;
  pkcs7: string;
}

/** Where the previous segment's encryption stopped (structured clone turns Buffers into Uint8Arrays). */
export interface SegmentCipherParams {
  contentKey: Uint8Array;
  iv: Uint8Array;
  /** The last ciphertext block so far (the IV before the first segment). */
  chain: Uint8Array;
  chunkIndex: number;
  /** Plaintext acknowledged but not yet encrypted (shorter than a chunk). */
  tail: Uint8Array;
  chunkSize: number;
}

/** How one segment starts. */
export interface SegmentParams {
  /** Absent: the segment is stored in clear (encryption turned off). */
  cipher?: SegmentCipherParams;
  /** Plaintext bytes of the file still to come, this segment's included: receiving them all ends the file. */
  remaining: number;
}

/** Where a segment's encryption stopped: what the next segment continues from, and the tags of its chunks. */
export interface SegmentCipherResult {
  chain: Uint8Array;
  chunkIndex: number;
  tail: Uint8Array;
  tags: Uint8Array;
}

/** How one segment ended: what the next one needs, and at the file's end its SHA-256. */
export interface SegmentResult {
  plaintextBytes: number;
  cipher?: SegmentCipherResult;
  /** Hex SHA-256 of the whole file, once its last byte passed. */
  sha256?: string;
}

/**
 * A segment in progress: write its plaintext to `stream` (whose output is what to store: ciphertext, or the
 * plaintext in clear), end it, and once it has finished `cipherResult()` says where the encryption stopped.
 */
export interface SegmentSession {
  stream: Transform;
  cipherResult(): SegmentCipherResult | undefined;
}

/**
 * What uploads stored segment by segment (on any node, one PATCH each) need from the crypto module: a file
 * key, the segment encryption that continues where the last segment stopped, and sealing of the state kept
 * between segments under the master key that every node holds.
 */
export abstract class SegmentEncryption {
  /** A fresh file key wrapped for the contact center; undefined when media is stored in clear (see MediaEncryption). */
  abstract newFileKey(ccid: string): Promise<UploadFileKey | undefined>;
  abstract segment(params: SegmentParams): SegmentSession;
  /** Seals a secret under the master key; `binding` must be given again to open it. */
  abstract seal(secret: Buffer, binding: string): string;
  /** Opens a sealed secret; throws when it was altered or bound to something else. */
  abstract open(sealed: string, binding: string): Buffer;
}
