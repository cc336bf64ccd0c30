import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ContactCentersService } from '../../contact-centers/contact-centers.service';
import { PrivateKeyVault } from '../keys/private-key-vault';
import { CertificateDirectory } from './certificate-directory';
import { CertificatesService } from './certificates.service';
import { generateSelfSignedCertificate } from './self-signed-certificate';

export const GENERATED_CERTIFICATE_ALIAS = 'rws-generated';

/**
 * Encryption on by default (RWS_SCREEN_ENCRYPTION, `on` unless an operator says `off`): which contact
 * centers have no active certificate, and — on the embedded default, where this node holds the private keys
 * — a generated certificate and key for one that has none, the way the ops credentials are generated at
 * first start. With Cassandra (several nodes, keys sealed under RWS_MASTER_KEY) RWS never makes a key on its
 * own: an operator uploads one, and until then uploads are refused rather than stored in clear.
 */
@Injectable()
export class ContactCenterCertificates {
  private readonly logger = new Logger('Crypto');
  private readonly generating = new Map<string, Promise<boolean>>();
  readonly encryptionOn: boolean;
  private readonly mayGenerate: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly contactCenters: ContactCentersService,
    private readonly certificates: CertificatesService,
    private readonly directory: CertificateDirectory,
    @Optional() vault?: PrivateKeyVault,
  ) {
    this.encryptionOn = config.screenEncryption;
    this.mayGenerate = config.screenEncryption && config.metadata === 'embedded' && vault !== undefined;
  }

  /**
   * Makes sure the contact center has an active certificate when this node may generate one; true when it
   * has one afterwards. Concurrent callers for one contact center share one generation.
   */
  ensureActive(ccid: string): Promise<boolean> {
    const running = this.generating.get(ccid);
    if (running) return running;
    const attempt = this.generateIfMissing(ccid).finally(() => this.generating.delete(ccid));
    this.generating.set(ccid, attempt);
    return attempt;
  }

  /** Ids of the contact centers new screen media could not be encrypted for right now. */
  async withoutActiveCertificate(): Promise<string[]> {
    const missing: string[] = [];
    for (const cc of await this.contactCenters.list()) if (!(await this.directory.active(cc.id))) missing.push(cc.id);
    return missing;
  }

  private async generateIfMissing(ccid: string): Promise<boolean> {
    if (await this.directory.active(ccid)) return true;
    if (!this.mayGenerate) return false;
    const generated = await generateSelfSignedCertificate(`RWS contact center ${ccid}`);
    const certificate = await this.certificates.upload(ccid, {
      certificate: generated.certificatePem,
      privateKey: generated.privateKeyPem,
      alias: GENERATED_CERTIFICATE_ALIAS,
      activate: true,
    });
    this.logger.warn({
      msg: 'generated a certificate and private key for screen-recording encryption (upload your own to replace it)',
      ccid,
      certificateId: certificate.id,
      fingerprint256: certificate.fingerprint256,
    });
    return true;
  }
}
