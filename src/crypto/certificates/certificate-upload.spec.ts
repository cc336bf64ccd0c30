import { generateKeyPairSync } from 'node:crypto';
import { makeTestCertificate } from '../../../test/support/x509-factory';
import { InvalidCertificateException } from '../crypto.exception';
import { validateCertificateUpload } from './certificate-upload';
import { issuerAndSerialOf, namesCertificate, recipientNamesOf } from './x509-identity';

describe('validateCertificateUpload', () => {
  const good = makeTestCertificate({ commonName: 'cc-1 media', serial: Buffer.from('0a0b0c', 'hex') });

  it('accepts an RSA-2048 certificate with its key and reports its facts', () => {
    const v = validateCertificateUpload(good.certificatePem, good.privateKeyPem);
    expect(v).toMatchObject({ subject: 'CN=cc-1 media', issuer: 'CN=cc-1 media', serialNumber: '0A0B0C', keyBits: 2048 });
    expect(v.privateKey?.asymmetricKeyType).toBe('rsa');
    expect(v.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('accepts a certificate alone, and an encrypted private key with its passphrase', () => {
    expect(validateCertificateUpload(good.certificatePem).privateKey).toBeUndefined();
    const encrypted = good.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    expect(validateCertificateUpload(good.certificatePem, encrypted, 'pw').privateKey).toBeDefined();
    expect(() => validateCertificateUpload(good.certificatePem, encrypted, 'wrong')).toThrow(/privateKey.*passphrase/);
  });

  it('refuses small keys, non-RSA keys, a key of another certificate, and non-certificates', () => {
    const small = makeTestCertificate({ bits: 1024 });
    expect(() => validateCertificateUpload(small.certificatePem)).toThrow(/1024 bits; at least 2048/);
    const other = makeTestCertificate();
    expect(() => validateCertificateUpload(good.certificatePem, other.privateKeyPem)).toThrow(/does not belong/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(() => validateCertificateUpload(good.certificatePem, ec)).toThrow(InvalidCertificateException);
    expect(() => validateCertificateUpload('hello')).toThrow(/exactly one PEM certificate/);
    expect(() => validateCertificateUpload(good.certificatePem + good.certificatePem)).toThrow(/exactly one/);
    expect(() => validateCertificateUpload('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(/not a readable X.509/);
  });
});

describe('recipient names', () => {
  it('match an envelope recipient by issuer and serial (leading zeros ignored) or by subject key identifier', () => {
    const cert = makeTestCertificate({ serial: Buffer.from('00ff10', 'hex'), subjectKeyId: Buffer.from('0102030405', 'hex') });
    const names = recipientNamesOf(cert.x509);
    expect(names.serialNumber.toString('hex')).toBe('00ff10');
    expect(names.subjectKeyIdentifier?.toString('hex')).toBe('0102030405');
    const rid = issuerAndSerialOf(names);
    expect(namesCertificate(rid, names)).toBe(true);
    expect(namesCertificate({ ...rid, serialNumber: Buffer.from('ff10', 'hex') } as typeof rid, names)).toBe(true);
    expect(namesCertificate({ ...rid, serialNumber: Buffer.from('ff11', 'hex') } as typeof rid, names)).toBe(false);
    expect(namesCertificate({ kind: 'subjectKeyIdentifier', keyIdentifier: Buffer.from('0102030405', 'hex') }, names)).toBe(true);
    expect(namesCertificate(issuerAndSerialOf(recipientNamesOf(makeTestCertificate().x509)), names)).toBe(false);
  });
});
