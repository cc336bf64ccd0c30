/** A token signing key as stored: the public half in clear, the private half sealed under the node secret. */
export interface StoredSigningKey {
  kid: string;
  /** JOSE algorithm name; `EdDSA` (Ed25519) for every key this version creates. */
  algorithm: string;
  /** SPKI PEM. */
  publicKey: string;
  /** PKCS#8 DER sealed with AES-256-GCM (see KeySealer). */
  sealedPrivateKey: string;
  createdAt: string;
  /** Set when an operator retired the key: tokens it signed are refused from then on. */
  retiredAt?: string;
}

/** Persistence port for token signing keys (a handful of rows, read whole). */
export abstract class SigningKeyStore {
  abstract list(): Promise<StoredSigningKey[]>;
  /** Adds a key; false when the kid exists. */
  abstract create(key: StoredSigningKey): Promise<boolean>;
  /** Marks a key retired; false when unknown. Retiring twice keeps the first time. */
  abstract retire(kid: string, at: string): Promise<boolean>;
}
