import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ContactCentersService } from '../../contact-centers/contact-centers.service';
import { CertificateConflictException, CertificateNotFoundException, InvalidCertificateException } from '../crypto.exception';
import { PrivateKeyVault } from '../keys/private-key-vault';
import { UnwrappedKeyCache } from '../keys/unwrapped-key-cache';
import { Certificate } from './certificate';
import { CertificateDirectory } from './certificate-directory';
import { CertificateStore } from './certificate.store';
import { validateCertificateUpload } from './certificate-upload';

/** An upload: the certificate, optionally its private key (for RWS's crypto service to hold), alias and activation. */
export interface CertificateUpload {
  certificate: string;
  privateKey?: string;
  passphrase?: string;
  alias?: string;
  activate?: boolean;
}

/** Use cases of the certificates ops API: upload, list, activate, retire, delete. */
@Injectable()
export class CertificatesService {
  private readonly logger = new Logger('Crypto');

  constructor(
    private readonly store: CertificateStore,
    private readonly contactCenters: ContactCentersService,
    private readonly directory: CertificateDirectory,
    /** Absent on API nodes whose crypto service is remote: they cannot hold private keys. */
    @Optional() private readonly vault?: PrivateKeyVault,
    @Optional() private readonly recentKeys?: UnwrappedKeyCache,
  ) {}

  async upload(ccid: string, upload: CertificateUpload): Promise<Certificate> {
    const cc = await this.contactCenters.require(ccid);
    if (upload.privateKey !== undefined && !this.vault) {
      throw new InvalidCertificateException('privateKey', 'this node uses a remote crypto service (RWS_CRYPTO_URL): upload the private key to the crypto service');
    }
    const validated = validateCertificateUpload(upload.certificate, upload.privateKey, upload.passphrase);
    const existing = (await this.store.list(cc.id)).find((c) => c.fingerprint256 === validated.fingerprint256 && c.status !== 'deleted');
    if (existing) throw new CertificateConflictException(`This certificate is already uploaded as [${existing.id}].`);
    // Refuse before storing anything: an upload either fully happens or not at all.
    if (upload.activate && Date.parse(validated.notAfter) <= Date.now()) throw expiredConflict('The certificate', validated.notAfter);
    const id = randomUUID();
    const certificate: Certificate = {
      id,
      ccid: cc.id,
      alias: upload.alias ?? aliasOf(validated.subject, id),
      status: 'inactive',
      certificatePem: validated.certificatePem,
      subject: validated.subject,
      issuer: validated.issuer,
      serialNumber: validated.serialNumber,
      fingerprint256: validated.fingerprint256,
      notBefore: validated.notBefore,
      notAfter: validated.notAfter,
      keyBits: validated.keyBits,
      privateKey: validated.privateKey && this.vault ? this.vault.seal({ ccid: cc.id, id }, validated.privateKey) : undefined,
      createdAt: new Date().toISOString(),
    };
    await this.store.create(certificate);
    this.directory.forget(cc.id);
    this.logger.log({ msg: 'certificate uploaded', ccid: cc.id, certificateId: id, fingerprint256: certificate.fingerprint256, withPrivateKey: Boolean(certificate.privateKey) });
    return upload.activate ? this.activate(cc.id, id) : certificate;
  }

  async list(ccid: string): Promise<Certificate[]> {
    const cc = await this.contactCenters.require(ccid);
    return this.store.list(cc.id);
  }

  /** The certificate new media is encrypted for, if any. */
  async active(ccid: string): Promise<Certificate | undefined> {
    return (await this.list(ccid)).find((c) => c.status === 'active');
  }

  async require(ccid: string, id: string): Promise<Certificate> {
    const cc = await this.contactCenters.require(ccid);
    const certificate = /^[0-9a-f-]{36}$/i.test(id) ? await this.store.get(cc.id, id.toLowerCase()) : undefined;
    if (!certificate) throw new CertificateNotFoundException(id);
    return certificate;
  }

  /** New media is wrapped for this certificate from now on; the previously active one is retired. */
  async activate(ccid: string, id: string): Promise<Certificate> {
    const certificate = await this.require(ccid, id);
    if (certificate.status === 'deleted') throw new CertificateConflictException(`Certificate [${id}] was deleted and cannot be activated.`);
    if (Date.parse(certificate.notAfter) <= Date.now()) throw expiredConflict(`Certificate [${id}]`, certificate.notAfter);
    if (certificate.status !== 'active') await this.store.activate(certificate.ccid, certificate.id, new Date().toISOString());
    this.directory.forget(certificate.ccid);
    this.logger.log({ msg: 'certificate activated', ccid: certificate.ccid, certificateId: id });
    return this.require(ccid, id);
  }

  /** Stops encrypting for the certificate; media already wrapped for it still decrypts. */
  async retire(ccid: string, id: string): Promise<Certificate> {
    const certificate = await this.require(ccid, id);
    if (certificate.status === 'deleted') throw new CertificateConflictException(`Certificate [${id}] was deleted.`);
    if (certificate.status !== 'retired') await this.store.retire(certificate.ccid, certificate.id, new Date().toISOString());
    this.directory.forget(certificate.ccid);
    this.logger.log({ msg: 'certificate retired', ccid: certificate.ccid, certificateId: id });
    return this.require(ccid, id);
  }

  /**
   * Deletes the private key for good: media wrapped only for this certificate can never be decrypted
   * again (api.md §8: losing a key loses recordings), so only a certificate no longer active may go.
   */
  async delete(ccid: string, id: string): Promise<void> {
    const certificate = await this.require(ccid, id);
    if (certificate.status === 'active') throw new CertificateConflictException(`Certificate [${id}] is active: retire it before deleting it.`);
    if (certificate.status === 'deleted') return;
    await this.store.markDeleted(certificate.ccid, certificate.id, new Date().toISOString());
    this.directory.forget(certificate.ccid);
    this.vault?.forget(certificate);
    this.recentKeys?.forgetCertificate(certificate.id);
    this.logger.warn({ msg: 'certificate and private key deleted', ccid: certificate.ccid, certificateId: id });
  }
}

function aliasOf(subject: string, id: string): string {
  const cn = /(?:^|, )CN=([^,]+)/.exec(subject)?.[1];
  return (cn ?? `certificate-${id.slice(0, 8)}`).slice(0, 200);
}

function expiredConflict(what: string, notAfter: string): CertificateConflictException {
  return new CertificateConflictException(`${what} expired on ${notAfter} and cannot be activated.`);
}
