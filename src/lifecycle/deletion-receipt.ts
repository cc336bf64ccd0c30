import type { PurgedRecording } from './retention-policy';

/** What a receipt states (the signed JSON document). */
export interface DeletionReceipt {
  id: string;
  ccid: string;
  /** `purge`: a retention run; `erasure`: a data subject's erasure (the subject itself is not named). */
  kind: 'purge' | 'erasure';
  issuedAt: string;
  /** Who deleted: the retention scheduler's principal, or the operator who asked for an erasure. */
  actor: string;
  /** The policy and run of a purge. */
  policyId?: string;
  policyName?: string;
  runId?: string;
  /** The erasure request of an erasure. */
  erasureId?: string;
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
  kind?: 'purge' | 'erasure';
  policyId?: string;
  runId?: string;
  erasureId?: string;
  count: number;
  keyId: string;
  /** The receipt document exactly as signed (UTF-8 JSON). */
  document: string;
  /** Base64 Ed25519 signature of `document`'s bytes. */
  signature: string;
}
