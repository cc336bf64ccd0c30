/** Object identifiers of CMS, PKCS#1 and NIST algorithms used by the envelope format. */
export const Oid = {
  data: '1.2.840.113549.1.7.1',
  envelopedData: '1.2.840.113549.1.7.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  pSpecified: '1.2.840.113549.1.1.9',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** Hash names (as node:crypto spells them) by OID, for RSA-OAEP parameters. */
export const HASH_BY_OID: Readonly<Record<string, string>> = {
  [Oid.sha1]: 'sha1',
  [Oid.sha256]: 'sha256',
  [Oid.sha384]: 'sha384',
  [Oid.sha512]: 'sha512',
};

/** AES-CBC key sizes (bytes) by content-encryption OID. */
export const AES_CBC_KEY_BYTES: Readonly<Record<string, number>> = {
  [Oid.aes128Cbc]: 16,
  [Oid.aes192Cbc]: 24,
  [Oid.aes256Cbc]: 32,
};
