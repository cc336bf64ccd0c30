import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { derContextConstructed, derNull, derOctetString, derOid, derSequence, derSetOf, derSmallInteger, element, Tag } from '../../src/crypto/asn1/der';

/** A certificate made for a test, with its key pair. */
export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
  privateKey: KeyObject;
  x509: X509Certificate;
}

/**
 * Self-signed X.509 v3 certificates built in-process (no OpenSSL needed): RSA of any size, chosen
 * serial, validity and subject key identifier, so unit specs can cover every validation path.
 */
export function makeTestCertificate(options: { commonName?: string; bits?: number; serial?: Buffer; notBefore?: Date; notAfter?: Date; subjectKeyId?: Buffer; keyPair?: { publicKey: KeyObject; privateKey: KeyObject } } = {}): TestCertificate {
  const { publicKey, privateKey } = options.keyPair ?? generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const name = derSequence(derSetOf(derSequence(derOid('2.5.4.3'), element(0x0c, Buffer.from(options.commonName ?? 'rws test')))));
  const serial = options.serial ?? Buffer.concat([Buffer.from([0x01]), randomBytes(15)]);
  const signatureAlgorithm = derSequence(derOid('1.2.840.113549.1.1.11'), derNull());
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const ski = options.subjectKeyId ?? createHash('sha1').update(publicKey.export({ format: 'der', type: 'spki' })).digest();
  const extensions = derContextConstructed(3, derSequence(derSequence(derOid('2.5.29.14'), derOctetString(derOctetString(ski)))));
  const tbs = derSequence(
    derContextConstructed(0, derSmallInteger(2)),
    element(Tag.Integer, serial),
    signatureAlgorithm,
    name,
    derSequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ format: 'der', type: 'spki' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = derSequence(tbs, signatureAlgorithm, element(Tag.BitString, Buffer.concat([Buffer.from([0]), signature])));
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  return { certificatePem, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, privateKey, x509: new X509Certificate(certificatePem) };
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? element(0x17, Buffer.from(`${iso.slice(2)}Z`)) : element(0x18, Buffer.from(`${iso}Z`));
}
