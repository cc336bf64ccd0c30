import type { SealedSecret } from '../keys/master-key-ring';

/**
 * Lifecycle of a contact center's certificate. At most one is `active` (new media is wrapped for it);
 * `retired` ones no longer encrypt but keep decrypting; `deleted` ones have lost their private key for
 * good (the record stays so that playback can say why a file no longer decrypts).
 */
export type CertificateStatus = 'inactive' | 'active' | 'retired' | 'deleted';

/** An X.509 certificate (RSA ≥ 2048) of one contact center, with its private key sealed when RWS holds it. */
export interface Certificate {
  id: string;
  ccid: string;
  alias: string;
  status: CertificateStatus;
  certificatePem: string;
  subject: string;
  issuer: string;
  /** Upper-case hex, as OpenSSL prints it. */
  serialNumber: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  keyBits: number;
  /** PKCS#8 DER of the private key, sealed under the crypto service's master key; absent when held elsewhere or deleted. */
  privateKey?: SealedSecret;
  createdAt: string;
  activatedAt?: string;
  retiredAt?: string;
  deletedAt?: string;
}

/** The binding under which a certificate's private key is sealed: a sealed key moved to another record does not open. */
export function privateKeyBinding(certificate: Pick<Certificate, 'ccid' | 'id'>): string {
  return `rws-certificate-private-key:${certificate.ccid}/${certificate.id}`;
}
