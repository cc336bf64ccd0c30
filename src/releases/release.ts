/** A published screen-recorder build for one platform. */
export interface Release {
  version: string;
  platform: string;
  /** Release channel, e.g. `stable` or `beta`. */
  channel: string;
  size: number;
  /** Hex SHA-256 of the file. */
  sha256: string;
  /** Base64 Ed25519 signature over the SHA-256 digest bytes, when a signing key is configured. */
  signature?: string;
  /** Share of agents (0–100) offered this release; the rest stay on the previous one. */
  rolloutPercent: number;
  storageKey: string;
  fileName: string;
  publishedAt: string;
  publishedBy: string;
}
