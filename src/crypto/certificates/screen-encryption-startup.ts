import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DefaultContactCenter } from '../../contact-centers/default-contact-center';
import { HealthRegistry } from '../../health/health-registry';
import { ContactCenterCertificates } from './contact-center-certificates';

/** How long a readiness answer about certificates is reused (probes come every few seconds; this lists every contact center). */
const REPORT_TTL_MS = 30_000;
const LISTED_IN_WARNING = 10;

/**
 * At start: equips the embedded default's contact centers with a certificate (first start: the default
 * contact center), then says in the log which contact centers still have none. In `/health/ready` the same
 * as a warning on the `screen-encryption` entry — not unreadiness: every other function works, and screen
 * media is still never stored in clear (see ContactCenterCertificates).
 */
@Injectable()
export class ScreenEncryptionStartup implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Crypto');
  private report?: { at: number; warning: Promise<string | undefined> };

  constructor(
    private readonly certificates: ContactCenterCertificates,
    private readonly defaultContactCenter: DefaultContactCenter,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register({
      name: 'screen-encryption',
      check: async () => {
        const warning = await this.currentWarning();
        return warning ? { warning } : undefined;
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.certificates.encryptionOn) {
      this.logger.warn({ msg: 'RWS_SCREEN_ENCRYPTION=off: screen recordings are stored in clear' });
      return;
    }
    await this.defaultContactCenter.ensured();
    for (const ccid of await this.certificates.withoutActiveCertificate()) await this.certificates.ensureActive(ccid);
    const missing = await this.certificates.withoutActiveCertificate();
    for (const ccid of missing) {
      this.logger.warn({ msg: 'contact center has no active certificate: its screen-recording uploads wait (503) until one is uploaded', ccid });
    }
  }

  private currentWarning(): Promise<string | undefined> {
    if (!this.report || Date.now() - this.report.at > REPORT_TTL_MS) {
      this.report = { at: Date.now(), warning: this.describe() };
      this.report.warning.catch(() => (this.report = undefined));
    }
    return this.report.warning;
  }

  private async describe(): Promise<string | undefined> {
    if (!this.certificates.encryptionOn) return 'screen encryption is off (RWS_SCREEN_ENCRYPTION=off): screen recordings are stored in clear';
    const missing = await this.certificates.withoutActiveCertificate();
    if (missing.length === 0) return undefined;
    const listed = missing.slice(0, LISTED_IN_WARNING).join(', ');
    const more = missing.length > LISTED_IN_WARNING ? ` and ${missing.length - LISTED_IN_WARNING} more` : '';
    return `${missing.length} contact center(s) without an active certificate (screen uploads wait for one): ${listed}${more}`;
  }
}
