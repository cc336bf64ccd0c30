import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { unwrapContentKey, wrapContentKey } from '../keys/rsa-key-transport';
import { decodeEnvelopedData, encodeEnvelopedData, encodeEnvelopedDataPrefix, EnvelopedData, EnvelopeFormatError, KeyTransportAlgorithm, OAEP_SHA256 } from './enveloped-data';
import { fromEnvelopePem, toPem } from './pem';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const issuer = Buffer.from('300f310d300b06035504030c0474657374', 'hex'); // CN=test

function envelope(keyTransport: KeyTransportAlgorithm, contentKey = randomBytes(32), encryptedContent?: Buffer): EnvelopedData {
  return {
    recipients: [{ recipient: { kind: 'issuerAndSerialNumber', issuer, serialNumber: Buffer.from('00ff01', 'hex') }, keyTransport, encryptedKey: wrapContentKey(publicKey, keyTransport, contentKey) }],
    otherRecipientCount: 0,
    contentEncryption: { keyBytes: 32, iv: randomBytes(16) },
    encryptedContent,
  };
}

describe('CMS EnvelopedData', () => {
  const transports: KeyTransportAlgorithm[] = [
    OAEP_SHA256,
    { scheme: 'rsa-oaep', hash: 'sha1', mgf1Hash: 'sha1', label: Buffer.alloc(0) },
    { scheme: 'rsa-oaep', hash: 'sha512', mgf1Hash: 'sha512', label: Buffer.from('label') },
    { scheme: 'rsa-pkcs1-v1_5' },
  ];
  for (const keyTransport of transports) {
    it(`round-trips a detached envelope with ${keyTransport.scheme} ${'hash' in keyTransport ? keyTransport.hash : ''}`, () => {
      const contentKey = randomBytes(32);
      const written = envelope(keyTransport, contentKey);
      const read = decodeEnvelopedData(encodeEnvelopedData(written));
      expect(read.encryptedContent).toBeUndefined();
      expect(read.contentEncryption).toEqual(written.contentEncryption);
      expect(read.recipients[0].recipient).toEqual(written.recipients[0].recipient);
      expect(read.recipients[0].keyTransport).toEqual(keyTransport);
      expect(unwrapContentKey(privateKey, read.recipients[0].keyTransport, read.recipients[0].encryptedKey, 32).equals(contentKey)).toBe(true);
    });
  }

  it('writes OAEP parameters as OpenSSL does: SHA-1 defaults omitted, SHA-256 without NULL parameters', () => {
    const sha1 = encodeEnvelopedData(envelope({ scheme: 'rsa-oaep', hash: 'sha1', mgf1Hash: 'sha1', label: Buffer.alloc(0) })).toString('hex');
    expect(sha1).toContain('300d06092a864886f70d0101073000'); // rsaesOaep, empty parameters SEQUENCE
    const sha256 = encodeEnvelopedData(envelope(OAEP_SHA256)).toString('hex');
    expect(sha256).toContain('a00d300b0609608648016503040201a11a301806092a864886f70d010108300b0609608648016503040201');
  });

  it('makes prefix + content an attached envelope, identical to encoding with the content', () => {
    for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]) {
      const content = randomBytes(size);
      const detached = envelope(OAEP_SHA256);
      const attached = encodeEnvelopedData({ ...detached, encryptedContent: content });
      expect(Buffer.concat([encodeEnvelopedDataPrefix(detached, size), content]).equals(attached)).toBe(true);
      expect(decodeEnvelopedData(attached).encryptedContent?.equals(content)).toBe(true);
    }
  });

  it('reads PEM with the PKCS7 or CMS label and writes PKCS7', () => {
    const der = encodeEnvelopedData(envelope(OAEP_SHA256));
    const pem = toPem(der);
    expect(pem.startsWith('-----BEGIN PKCS7-----\n')).toBe(true);
    expect(fromEnvelopePem(pem).equals(der)).toBe(true);
    expect(fromEnvelopePem(toPem(der, 'CMS').replace(/\n/g, '\r\n')).equals(der)).toBe(true);
    expect(() => fromEnvelopePem(toPem(der, 'CERTIFICATE'))).toThrow(EnvelopeFormatError);
    expect(() => fromEnvelopePem('not pem')).toThrow(EnvelopeFormatError);
  });

  it('refuses what is not an AES-CBC EnvelopedData with a clear error', () => {
    const der = encodeEnvelopedData(envelope(OAEP_SHA256));
    const signedData = Buffer.from(der);
    signedData[der.indexOf(Buffer.from('2a864886f70d010703', 'hex')) + 8] = 0x02; // pkcs7-signedData
    expect(() => decodeEnvelopedData(signedData)).toThrow(/not envelopedData/);
    const aesGcm = Buffer.from(der);
    aesGcm[der.indexOf(Buffer.from('60864801650304012a', 'hex')) + 8] = 0x2e; // aes256-GCM
    expect(() => decodeEnvelopedData(aesGcm)).toThrow(/unsupported content encryption algorithm 2.16.840.1.101.3.4.1.46/);
    expect(() => decodeEnvelopedData(der.subarray(0, der.length - 3))).toThrow(EnvelopeFormatError);
    expect(() => decodeEnvelopedData(Buffer.from('3000', 'hex'))).toThrow(EnvelopeFormatError);
  });
});
