import {
  Asn1Error,
  Asn1Node,
  decodeDer,
  derContextConstructed,
  derContextPrimitive,
  derHeader,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derSmallInteger,
  element,
  expectUniversal,
  isContext,
  isUniversal,
  octetStringValue,
  oidValue,
  smallIntegerValue,
  Tag,
} from '../asn1/der';
import { AES_CBC_KEY_BYTES, HASH_BY_OID, Oid } from '../asn1/oids';

/** Which certificate a recipient's wrapped key is for (RFC 5652 §6.2.1 RecipientIdentifier). */
export type RecipientIdentifier =
  | { kind: 'issuerAndSerialNumber'; /** DER of the issuer Name */ issuer: Buffer; /** INTEGER content octets */ serialNumber: Buffer }
  | { kind: 'subjectKeyIdentifier'; keyIdentifier: Buffer };

/** How the content key is wrapped with the recipient's RSA public key. */
export type KeyTransportAlgorithm = { scheme: 'rsa-pkcs1-v1_5' } | OaepKeyTransport;

/** RSAES-OAEP parameters (RFC 4055): hash names as node:crypto spells them. */
export interface OaepKeyTransport {
  scheme: 'rsa-oaep';
  hash: string;
  mgf1Hash: string;
  label: Buffer;
}

/** One KeyTransRecipientInfo. */
export interface KeyTransRecipient {
  recipient: RecipientIdentifier;
  keyTransport: KeyTransportAlgorithm;
  encryptedKey: Buffer;
}

/** AES-CBC content encryption: key length in bytes and the IV from the algorithm parameters. */
export interface ContentEncryption {
  keyBytes: number;
  iv: Buffer;
}

/**
 * A CMS EnvelopedData (RFC 5652 §6) reduced to what media envelopes use: key-transport recipients and
 * AES-CBC content. `encryptedContent` is absent in the detached form stored with recording metadata.
 */
export interface EnvelopedData {
  recipients: KeyTransRecipient[];
  /** Recipients of other kinds (key agreement, KEK, password), present but not usable here. */
  otherRecipientCount: number;
  contentEncryption: ContentEncryption;
  encryptedContent?: Buffer;
}

/** The envelope is not a CMS EnvelopedData this implementation can use. */
export class EnvelopeFormatError extends Error {}

/** OAEP as RWS writes it: SHA-256 for both the label hash and MGF1, empty label (OpenSSL's `rsa_oaep_md:sha256`). */
export const OAEP_SHA256: OaepKeyTransport = { scheme: 'rsa-oaep', hash: 'sha256', mgf1Hash: 'sha256', label: Buffer.alloc(0) };

/** Parses a DER/BER ContentInfo holding an EnvelopedData. */
export function decodeEnvelopedData(der: Buffer): EnvelopedData {
  try {
    return parseContentInfo(decodeDer(der));
  } catch (err) {
    if (err instanceof Asn1Error) throw new EnvelopeFormatError(`not a CMS EnvelopedData: ${err.message}`);
    throw err;
  }
}

function parseContentInfo(root: Asn1Node): EnvelopedData {
  const [contentType, explicit] = expectUniversal(root, Tag.Sequence, 'a ContentInfo SEQUENCE').children;
  if (oidValue(contentType) !== Oid.envelopedData) throw new EnvelopeFormatError('the CMS content type is not envelopedData');
  if (!isContext(explicit, 0) || explicit.children.length !== 1) throw new Asn1Error('expected the [0] content of the ContentInfo');
  const fields = expectUniversal(explicit.children[0], Tag.Sequence, 'an EnvelopedData SEQUENCE').children;
  let i = 0;
  smallIntegerValue(fields[i++]);
  if (isContext(fields[i], 0)) i++; // originatorInfo: certificates/CRLs, not needed to decrypt
  const recipientInfos = expectUniversal(fields[i++], Tag.Set, 'the recipientInfos SET');
  const recipients: KeyTransRecipient[] = [];
  let otherRecipientCount = 0;
  for (const info of recipientInfos.children) {
    if (isUniversal(info, Tag.Sequence)) recipients.push(parseKeyTransRecipient(info));
    else otherRecipientCount++;
  }
  const { contentEncryption, encryptedContent } = parseEncryptedContentInfo(fields[i]);
  return { recipients, otherRecipientCount, contentEncryption, encryptedContent };
}

function parseKeyTransRecipient(node: Asn1Node): KeyTransRecipient {
  const [version, rid, algorithm, encryptedKey] = node.children;
  smallIntegerValue(version);
  let recipient: RecipientIdentifier;
  if (isUniversal(rid, Tag.Sequence)) {
    const [issuer, serial] = rid.children;
    expectUniversal(issuer, Tag.Sequence, 'the issuer Name');
    recipient = { kind: 'issuerAndSerialNumber', issuer: Buffer.from(issuer.raw), serialNumber: Buffer.from(expectUniversal(serial, Tag.Integer, 'the serial number').content) };
  } else if (isContext(rid, 0)) {
    recipient = { kind: 'subjectKeyIdentifier', keyIdentifier: Buffer.from(octetStringValue(rid)) };
  } else {
    throw new Asn1Error('unknown RecipientIdentifier');
  }
  return {
    recipient,
    keyTransport: parseKeyTransport(expectUniversal(algorithm, Tag.Sequence, 'the keyEncryptionAlgorithm')),
    encryptedKey: Buffer.from(octetStringValue(expectUniversal(encryptedKey, Tag.OctetString, 'the encryptedKey'))),
  };
}

function parseKeyTransport(algorithm: Asn1Node): KeyTransportAlgorithm {
  const [oid, params] = algorithm.children;
  const id = oidValue(oid);
  if (id === Oid.rsaEncryption) return { scheme: 'rsa-pkcs1-v1_5' };
  if (id !== Oid.rsaesOaep) throw new EnvelopeFormatError(`unsupported key transport algorithm ${id}`);
  // RFC 4055 §4.1: every field has a default (SHA-1, MGF1 with SHA-1, empty label).
  const result = { scheme: 'rsa-oaep' as const, hash: 'sha1', mgf1Hash: 'sha1', label: Buffer.alloc(0) };
  for (const field of params && isUniversal(params, Tag.Sequence) ? params.children : []) {
    const inner = field.children[0];
    if (isContext(field, 0)) {
      result.hash = hashOf(inner);
    } else if (isContext(field, 1)) {
      const [mgf, mgfHash] = expectUniversal(inner, Tag.Sequence, 'the maskGenAlgorithm').children;
      if (oidValue(mgf) !== Oid.mgf1) throw new EnvelopeFormatError('RSA-OAEP mask generation other than MGF1 is not supported');
      result.mgf1Hash = hashOf(mgfHash);
    } else if (isContext(field, 2)) {
      const [source, label] = expectUniversal(inner, Tag.Sequence, 'the pSourceAlgorithm').children;
      if (oidValue(source) !== Oid.pSpecified) throw new EnvelopeFormatError('unsupported RSA-OAEP label source');
      result.label = label ? Buffer.from(octetStringValue(label)) : Buffer.alloc(0);
    }
  }
  return result;
}

function hashOf(algorithm: Asn1Node | undefined): string {
  const oid = oidValue(expectUniversal(algorithm, Tag.Sequence, 'a hash AlgorithmIdentifier').children[0]);
  const hash = HASH_BY_OID[oid];
  if (!hash) throw new EnvelopeFormatError(`unsupported RSA-OAEP hash ${oid}`);
  return hash;
}

function parseEncryptedContentInfo(node: Asn1Node | undefined): { contentEncryption: ContentEncryption; encryptedContent?: Buffer } {
  const [contentType, algorithm, content] = expectUniversal(node, Tag.Sequence, 'the encryptedContentInfo').children;
  oidValue(contentType);
  const [oid, iv] = expectUniversal(algorithm, Tag.Sequence, 'the contentEncryptionAlgorithm').children;
  const id = oidValue(oid);
  const keyBytes = AES_CBC_KEY_BYTES[id];
  if (!keyBytes) throw new EnvelopeFormatError(`unsupported content encryption algorithm ${id} (AES-CBC expected)`);
  const ivValue = octetStringValue(expectUniversal(iv, Tag.OctetString, 'the AES-CBC IV'));
  if (ivValue.length !== 16) throw new EnvelopeFormatError('the AES-CBC IV is not 16 bytes');
  const contentEncryption = { keyBytes, iv: Buffer.from(ivValue) };
  if (content === undefined) return { contentEncryption };
  if (!isContext(content, 0)) throw new Asn1Error('expected the [0] encryptedContent');
  return { contentEncryption, encryptedContent: octetStringValue(content) };
}

// ---- writing ----

/** The DER of a ContentInfo/EnvelopedData. Attached content, if any, is written as one primitive segment. */
export function encodeEnvelopedData(envelope: EnvelopedData): Buffer {
  const content = envelope.encryptedContent;
  const prefix = encodeEnvelopedDataPrefix(envelope, content?.length);
  return content ? Buffer.concat([prefix, content]) : prefix;
}

/**
 * The DER of the envelope up to (not including) the bytes of an attached content of `contentLength`
 * bytes, or the whole detached envelope when `contentLength` is undefined. The encryptedContent is the
 * last element of the structure, so prefix + ciphertext is a complete attached CMS: that lets a
 * multi-gigabyte file be joined for other tools as a stream.
 */
export function encodeEnvelopedDataPrefix(envelope: EnvelopedData, contentLength?: number): Buffer {
  const recipients = envelope.recipients.map(encodeKeyTransRecipient);
  const { keyBytes, iv } = envelope.contentEncryption;
  const aesOid = Object.keys(AES_CBC_KEY_BYTES).find((oid) => AES_CBC_KEY_BYTES[oid] === keyBytes);
  if (!aesOid) throw new RangeError(`no AES-CBC algorithm with a ${keyBytes}-byte key`);
  const encryptedContentInfoHead = Buffer.concat([derOid(Oid.data), derSequence(derOid(aesOid), derOctetString(iv))]);
  const usesSki = envelope.recipients.some((r) => r.recipient.kind === 'subjectKeyIdentifier');
  const envelopedHead = Buffer.concat([derSmallInteger(usesSki ? 2 : 0), derSetOf(...recipients)]);
  if (contentLength === undefined) {
    const enveloped = derSequence(envelopedHead, derSequence(encryptedContentInfoHead));
    return derSequence(derOid(Oid.envelopedData), derContextConstructed(0, enveloped));
  }
  // Lengths nest outwards from the virtual [0] IMPLICIT OCTET STRING.
  const contentHeader = derHeader(0x80, contentLength);
  const eciLength = encryptedContentInfoHead.length + contentHeader.length + contentLength;
  const eciHeader = derHeader(0x30, eciLength);
  const envLength = envelopedHead.length + eciHeader.length + eciLength;
  const envHeader = derHeader(0x30, envLength);
  const explicitLength = envHeader.length + envLength;
  const explicitHeader = derHeader(0xa0, explicitLength);
  const typeOid = derOid(Oid.envelopedData);
  const rootHeader = derHeader(0x30, typeOid.length + explicitHeader.length + explicitLength);
  return Buffer.concat([rootHeader, typeOid, explicitHeader, envHeader, envelopedHead, eciHeader, encryptedContentInfoHead, contentHeader]);
}

function encodeKeyTransRecipient(r: KeyTransRecipient): Buffer {
  const rid =
    r.recipient.kind === 'issuerAndSerialNumber'
      ? derSequence(r.recipient.issuer, element(Tag.Integer, r.recipient.serialNumber))
      : derContextPrimitive(0, r.recipient.keyIdentifier);
  return derSequence(
    derSmallInteger(r.recipient.kind === 'issuerAndSerialNumber' ? 0 : 2),
    rid,
    encodeKeyTransport(r.keyTransport),
    derOctetString(r.encryptedKey),
  );
}

function encodeKeyTransport(algorithm: KeyTransportAlgorithm): Buffer {
  if (algorithm.scheme === 'rsa-pkcs1-v1_5') return derSequence(derOid(Oid.rsaEncryption), element(Tag.Null));
  const hashOid = (name: string): string => {
    const oid = Object.keys(HASH_BY_OID).find((o) => HASH_BY_OID[o] === name);
    if (!oid) throw new RangeError(`unsupported OAEP hash ${name}`);
    return oid;
  };
  // DER omits fields equal to their DEFAULT; hash AlgorithmIdentifiers without parameters, as OpenSSL writes them.
  const params: Buffer[] = [];
  if (algorithm.hash !== 'sha1') params.push(derContextConstructed(0, derSequence(derOid(hashOid(algorithm.hash)))));
  if (algorithm.mgf1Hash !== 'sha1') params.push(derContextConstructed(1, derSequence(derOid(Oid.mgf1), derSequence(derOid(hashOid(algorithm.mgf1Hash))))));
  if (algorithm.label.length) params.push(derContextConstructed(2, derSequence(derOid(Oid.pSpecified), derOctetString(algorithm.label))));
  return derSequence(derOid(Oid.rsaesOaep), derSequence(...params));
}
