import type { X509Certificate } from 'node:crypto';
import { issuerAndSerialOf, recipientNamesOf } from '../certificates/x509-identity';
import { wrapContentKey } from '../keys/rsa-key-transport';
import { decodeEnvelopedData, encodeEnvelopedData, EnvelopedData, KeyTransportAlgorithm, OAEP_SHA256 } from './enveloped-data';
import { fromEnvelopePem, toPem } from './pem';

/**
 * The `pkcs7` of a media file: a detached CMS EnvelopedData carrying the file key wrapped for one
 * certificate (RSA-OAEP with SHA-256 for what RWS writes), AES-256-CBC with `iv`.
 */
export function envelopeFileKey(certificate: X509Certificate, contentKey: Buffer, iv: Buffer, keyTransport: KeyTransportAlgorithm = OAEP_SHA256): string {
  const envelope: EnvelopedData = {
    recipients: [
      {
        recipient: issuerAndSerialOf(recipientNamesOf(certificate)),
        keyTransport,
        encryptedKey: wrapContentKey(certificate.publicKey, keyTransport, contentKey),
      },
    ],
    otherRecipientCount: 0,
    contentEncryption: { keyBytes: contentKey.length, iv },
  };
  return toPem(encodeEnvelopedData(envelope));
}

/** Parses a media file's `pkcs7` (PEM, `PKCS7` or `CMS` label); throws EnvelopeFormatError. */
export function readMediaEnvelope(pkcs7: string): EnvelopedData {
  return decodeEnvelopedData(fromEnvelopePem(pkcs7));
}
