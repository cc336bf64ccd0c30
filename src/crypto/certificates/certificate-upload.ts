import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { InvalidCertificateException } from '../crypto.exception';
import type { Certificate } from './certificate';
import { recipientNamesOf } from './x509-identity';

/** Smallest RSA modulus accepted (api.md §8). */
export const MIN_RSA_BITS = 2048;

/** A validated upload: the certificate, its facts, and the matching private key when given. */
export interface ValidatedCertificate extends Pick<Certificate, 'certificatePem' | 'subject' | 'issuer' | 'serialNumber' | 'fingerprint256' | 'notBefore' | 'notAfter' | 'keyBits'> {
  x509: X509Certificate;
  privateKey?: KeyObject;
}

/**
 * Checks an uploaded certificate (one X.509 PEM, RSA ≥ 2048 bits, a structure CMS recipients can name)
 * and, when given, that the private key is RSA and belongs to it.
 */
export function validateCertificateUpload(certificatePem: string, privateKeyPem?: string, passphrase?: string): ValidatedCertificate {
  const blocks = certificatePem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) throw new InvalidCertificateException('certificate', 'exactly one PEM certificate (-----BEGIN CERTIFICATE-----) is expected');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(blocks[0]);
    recipientNamesOf(x509);
  } catch {
    throw new InvalidCertificateException('certificate', 'not a readable X.509 certificate');
  }
  const publicKey = x509.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') throw new InvalidCertificateException('certificate', `an RSA certificate is required (got ${publicKey.asymmetricKeyType})`);
  const keyBits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (keyBits < MIN_RSA_BITS) throw new InvalidCertificateException('certificate', `the RSA key has ${keyBits} bits; at least ${MIN_RSA_BITS} are required`);
  let privateKey: KeyObject | undefined;
  if (privateKeyPem !== undefined) {
    try {
      privateKey = createPrivateKey({ key: privateKeyPem, format: 'pem', passphrase });
    } catch {
      throw new InvalidCertificateException('privateKey', 'not a readable PEM private key (or a wrong passphrase)');
    }
    if (privateKey.asymmetricKeyType !== 'rsa' || !x509.checkPrivateKey(privateKey)) {
      throw new InvalidCertificateException('privateKey', 'the private key does not belong to the certificate');
    }
  }
  return {
    x509,
    certificatePem: x509.toString(),
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    serialNumber: x509.serialNumber.toUpperCase(),
    fingerprint256: x509.fingerprint256,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    keyBits,
    privateKey,
  };
}
