import { EnvelopeFormatError } from './enveloped-data';

/** The label RWS writes: the product stores `-----BEGIN PKCS7-----` envelopes in recording metadata. */
export const PKCS7_PEM_LABEL = 'PKCS7';

/** Labels accepted when reading: the product's, and `CMS` as `openssl cms -outform PEM` writes. */
const ACCEPTED_LABELS = new Set(['PKCS7', 'CMS']);

const MAX_PEM_CHARS = 1024 * 1024;

/** PEM armor of DER bytes, 64 characters a line. */
export function toPem(der: Buffer, label = PKCS7_PEM_LABEL): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside a `PKCS7` or `CMS` PEM block (line endings and surrounding whitespace are tolerated). */
export function fromEnvelopePem(pem: string): Buffer {
  if (pem.length > MAX_PEM_CHARS) throw new EnvelopeFormatError('the pkcs7 envelope is too large');
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match) throw new EnvelopeFormatError('the pkcs7 value is not PEM (-----BEGIN PKCS7-----)');
  if (!ACCEPTED_LABELS.has(match[1])) throw new EnvelopeFormatError(`unexpected PEM label ${match[1]} (PKCS7 or CMS expected)`);
  const body = match[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) {
    throw new EnvelopeFormatError('the pkcs7 PEM body is not base64');
  }
  return Buffer.from(body, 'base64');
}
