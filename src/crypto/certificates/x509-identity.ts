import { X509Certificate } from 'node:crypto';
import { decodeDer, expectUniversal, isContext, octetStringValue, oidValue, Tag } from '../asn1/der';
import { Oid } from '../asn1/oids';
import type { RecipientIdentifier } from '../cms/enveloped-data';

/** How a certificate is named inside a CMS envelope: its issuer and serial, and its subject key identifier. */
export interface CertificateRecipientNames {
  /** DER of the issuer Name, byte for byte as in the certificate. */
  issuer: Buffer;
  /** Content octets of the serial number INTEGER. */
  serialNumber: Buffer;
  subjectKeyIdentifier?: Buffer;
}

/** Reads the fields of a certificate's tbsCertificate that CMS recipient identifiers refer to. */
export function recipientNamesOf(certificate: X509Certificate): CertificateRecipientNames {
  const tbs = expectUniversal(decodeDer(certificate.raw).children[0], Tag.Sequence, 'the tbsCertificate').children;
  let i = isContext(tbs[0], 0) ? 1 : 0;
  const serialNumber = Buffer.from(expectUniversal(tbs[i++], Tag.Integer, 'the serial number').content);
  i++; // signature algorithm
  const issuer = Buffer.from(expectUniversal(tbs[i], Tag.Sequence, 'the issuer Name').raw);
  let subjectKeyIdentifier: Buffer | undefined;
  const extensions = tbs.find((n) => isContext(n, 3))?.children[0]?.children ?? [];
  for (const extension of extensions) {
    if (oidValue(extension.children[0]) !== Oid.subjectKeyIdentifier) continue;
    const value = octetStringValue(extension.children[extension.children.length - 1]);
    subjectKeyIdentifier = Buffer.from(octetStringValue(decodeDer(value)));
  }
  return { issuer, serialNumber, subjectKeyIdentifier };
}

/** The issuer-and-serial recipient identifier RWS writes for a certificate. */
export function issuerAndSerialOf(names: CertificateRecipientNames): RecipientIdentifier {
  return { kind: 'issuerAndSerialNumber', issuer: names.issuer, serialNumber: names.serialNumber };
}

/** True when an envelope's recipient identifier names this certificate. */
export function namesCertificate(recipient: RecipientIdentifier, names: CertificateRecipientNames): boolean {
  if (recipient.kind === 'subjectKeyIdentifier') {
    return names.subjectKeyIdentifier !== undefined && recipient.keyIdentifier.equals(names.subjectKeyIdentifier);
  }
  return recipient.issuer.equals(names.issuer) && sameInteger(recipient.serialNumber, names.serialNumber);
}

/** Serial numbers compare as integers: some encoders add or drop a leading zero byte. */
function sameInteger(a: Buffer, b: Buffer): boolean {
  const strip = (x: Buffer): Buffer => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    return x.subarray(i);
  };
  return strip(a).equals(strip(b));
}
