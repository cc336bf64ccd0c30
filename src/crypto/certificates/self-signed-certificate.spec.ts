import { X509Certificate } from 'node:crypto';
import { validateCertificateUpload } from './certificate-upload';
import { generateSelfSignedCertificate } from './self-signed-certificate';

describe('generateSelfSignedCertificate', () => {
  it('makes an RSA-3072 certificate the upload validation accepts, valid for ten years', async () => {
    const generated = await generateSelfSignedCertificate('RWS contact center test');
    const x509 = new X509Certificate(generated.certificatePem);
    expect(x509.subject).toBe('CN=RWS contact center test');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(Date.parse(x509.validTo) - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
    expect(validateCertificateUpload(generated.certificatePem, generated.privateKeyPem).keyBits).toBe(3072);
  });
});
