/** One segment object of an upload: a run of whole ciphertext chunks (the last one padded) in recording storage. */
export interface UploadSegment {
  key: string;
  /** Bytes of the object. */
  size: number;
  /** Base64 of the chunk tags of this segment (encrypted uploads only), in chunk order. */
  tags?: string;
}

/** What the next segment of an upload needs to continue the encryption and the hash where the last one stopped. */
export interface UploadCipherState {
  /** Base64 of the last ciphertext block (the CBC chaining value; the IV before the first segment). */
  chain: string;
  /** Index of the next chunk to tag. */
  chunkIndex: number;
  /**
   * Sealed with the master key (bound to the upload id and offset): the file key, the plaintext tail not yet
   * encrypted (shorter than a chunk) and the SHA-256 state of every acknowledged byte.
   */
  sealed: string;
  /** The file key's envelope for the contact center's certificate (absent: stored in clear). */
  pkcs7?: string;
  /** No file key chosen yet: the first PATCH chooses it (and is refused 503 while the contact center has no certificate). */
  pending?: boolean;
}

/** Set once every byte is stored and the upload's record says where: then only its metadata commit is left. */
export interface UploadCompletion {
  /** The segmented object (manifest) the recording will name. */
  manifestKey: string;
  sha256: string;
  /** The integrity record of the whole ciphertext (encrypted uploads). */
  integrity?: Record<string, unknown>;
}

/** A tus upload as every node sees it: the acknowledged offset and where its bytes are. */
export interface UploadRecord {
  id: string;
  ccid: string;
  /** `<ccid>/<userName>` of the principal that created it; only they may continue it. */
  owner: string;
  /** Total bytes announced by `Upload-Length`. */
  length: number;
  metadata: Record<string, string>;
  createdAt: string;
  /** Bytes acknowledged: stored in the segments, or in the sealed tail. */
  offset: number;
  /** Incremented by every change; changes are compare-and-set on it (two nodes never both append). */
  version: number;
  /** When a byte was last acknowledged (or the upload created), epoch ms: what its expiry counts from. */
  updatedAt: number;
  segments: UploadSegment[];
  cipher: UploadCipherState;
  completion?: UploadCompletion;
}

/** What an expiry sweep needs of an upload. */
export interface UploadActivity {
  id: string;
  version: number;
  updatedAt: number;
}

/**
 * Persistence port of resumable uploads in progress, shared by every node. A record only ever moves by
 * compare-and-set on its version (a Cassandra lightweight transaction), so of two nodes appending at the same
 * offset exactly one is acknowledged.
 */
export abstract class UploadStore {
  /** Stores a new upload; false when the id exists. */
  abstract create(record: UploadRecord): Promise<boolean>;
  abstract get(id: string): Promise<UploadRecord | undefined>;
  /** Replaces the record if it is still at `expectedVersion` (`next.version` must be one more); true when replaced. */
  abstract replace(next: UploadRecord, expectedVersion: number): Promise<boolean>;
  /** Removes the record if it is still at `expectedVersion`; true when removed. */
  abstract remove(id: string, expectedVersion: number): Promise<boolean>;
  /** Every upload's id, version and last activity (sweeps for expired uploads). */
  abstract activity(): Promise<UploadActivity[]>;
}
