import type { PurgedRecording } from './retention-policy';

/** What a receipt states (the signed JSON document). */
export interface DeletionReceipt {
  id: string;
  ccid: string;
  kind: 'purge';
  issuedAt: string;
  /** Who deleted: the retention scheduler's principal. */
  actor: string;
  policyId: string;
  policyName: string;
  runId: string;
  /** Position of this receipt among its run's receipts (a long run issues one per batch). */
  sequence: number;
  recordings: PurgedRecording[];
  /** Identifies the signing key: hex SHA-256 of its SubjectPublicKeyInfo (DER). */
  keyId: string;
}

/** A receipt as stored: the exact signed bytes, the Ed25519 signature, and a summary for listings. */
export interface StoredReceipt {
  id: string;
  ccid: string;
  issuedAt: string;
  policyId: string;
  runId: string;
  count: number;
  keyId: string;
  /** The receipt document exactly as signed (UTF-8 JSON). */
  document: string;
  /** Base64 Ed25519 signature of `document`'s bytes. */
  signature: string;
}
