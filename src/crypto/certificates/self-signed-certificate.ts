import { createHash, generateKeyPair, KeyObject, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { derContextConstructed, derNull, derOctetString, derOid, derSequence, derSetOf, derSmallInteger, element, Tag } from '../asn1/der';

const generateRsaKeyPair = promisify(generateKeyPair);

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
const KEY_USAGE = '2.5.29.15';

/** A certificate RWS made for itself, with its private key (PKCS#8 PEM). */
export interface GeneratedCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * A self-signed X.509 v3 certificate with a fresh RSA key, for a contact center nobody gave a certificate:
 * media keys are wrapped for it (CMS key transport, identified by subject key identifier), so only the key
 * usage keyEncipherment is set. RSA-3072 (≈ 128-bit strength) for 10 years; an operator replaces it by
 * uploading and activating their own.
 */
export async function generateSelfSignedCertificate(commonName: string, validityDays = 3650): Promise<GeneratedCertificate> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 3072 });
  const name = derSequence(derSetOf(derSequence(derOid(COMMON_NAME), element(0x0c, Buffer.from(commonName)))));
  const signatureAlgorithm = derSequence(derOid(SHA256_WITH_RSA), derNull());
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const notAfter = new Date(notBefore.getTime() + validityDays * 86_400_000);
  const tbs = derSequence(
    derContextConstructed(0, derSmallInteger(2)),
    element(Tag.Integer, Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    signatureAlgorithm,
    name,
    derSequence(asn1Time(notBefore), asn1Time(notAfter)),
    name,
    spkiOf(publicKey),
    derContextConstructed(
      3,
      derSequence(
        derSequence(derOid(SUBJECT_KEY_IDENTIFIER), derOctetString(derOctetString(createHash('sha1').update(spkiOf(publicKey)).digest()))),
        // keyEncipherment (bit 2): 03 02 05 20
        derSequence(derOid(KEY_USAGE), element(0x01, Buffer.from([0xff])), derOctetString(element(Tag.BitString, Buffer.from([0x05, 0x20])))),
      ),
    ),
  );
  const der = derSequence(tbs, signatureAlgorithm, element(Tag.BitString, Buffer.concat([Buffer.from([0]), sign('sha256', tbs, privateKey)])));
  return {
    certificatePem: `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  };
}

function spkiOf(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: 'der', type: 'spki' });
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function asn1Time(date: Date): Buffer {
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? element(0x17, Buffer.from(`${digits.slice(2)}Z`)) : element(0x18, Buffer.from(`${digits}Z`));
}
