import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { DefaultContactCenter } from '../../contact-centers/default-contact-center';
import { HealthRegistry } from '../../health/health-registry';
import { ContactCenterCertificates } from './contact-center-certificates';

/** How often the readiness warning about certificates is recomputed (it reads every contact center's certificates). */
const REPORT_TTL_MS = 30_000;
const LISTED_IN_WARNING = 10;

/**
 * At start: equips the embedded default's contact centers with a certificate (first start: the default
 * contact center), then says in the log which contact centers still have none. In `/health/ready` the same
 * as a warning on the `screen-encryption` entry — not unreadiness: every other function works, and screen
 * media is still never stored in clear (see ContactCenterCertificates). The probe answers from the last
 * computed report and refreshes it in the background, so many contact centers never slow a probe down.
 */
@Injectable()
export class ScreenEncryptionStartup implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Crypto');
  private warning?: string;
  private computedAt = 0;
  private refreshing?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: ContactCenterCertificates,
    private readonly defaultContactCenter: DefaultContactCenter,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register({
      name: 'screen-encryption',
      check: async () => {
        if (Date.now() - this.computedAt > REPORT_TTL_MS) void this.refresh();
        return this.warning ? { warning: this.warning } : undefined;
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.certificates.encryptionOn) {
      this.warning = 'screen encryption is off (RWS_SCREEN_ENCRYPTION=off): media of contact centers without a certificate is stored in clear';
      this.computedAt = Number.MAX_SAFE_INTEGER;
      this.logger.warn({ msg: 'RWS_SCREEN_ENCRYPTION=off: screen media of contact centers without a certificate is stored in clear' });
      return;
    }
    // The embedded default is one node with a few contact centers: equip them before serving. A cluster
    // store may hold many: its report is made in the background.
    const startup = this.equipAndReport();
    if (this.config.metadata === 'embedded') await startup;
    else startup.catch((err: unknown) => this.logger.error({ msg: 'certificate check at start failed', error: (err as Error).message }));
  }

  private async equipAndReport(): Promise<void> {
    await this.defaultContactCenter.ensure();
    for (const ccid of await this.certificates.withoutActiveCertificate()) await this.certificates.ensureActive(ccid);
    const missing = await this.certificates.withoutActiveCertificate();
    for (const ccid of missing.slice(0, LISTED_IN_WARNING)) {
      this.logger.warn({ msg: 'contact center has no active certificate: its screen-recording uploads wait (503) until one is uploaded', ccid });
    }
    if (missing.length > LISTED_IN_WARNING) this.logger.warn({ msg: 'more contact centers have no active certificate', count: missing.length });
    this.record(missing);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.certificates
      .withoutActiveCertificate()
      .then((missing) => this.record(missing))
      .catch((err: unknown) => this.logger.warn({ msg: 'certificate report failed', error: (err as Error).message }))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private record(missing: string[]): void {
    this.computedAt = Date.now();
    if (missing.length === 0) {
      this.warning = undefined;
      return;
    }
    const listed = missing.slice(0, LISTED_IN_WARNING).join(', ');
    const more = missing.length > LISTED_IN_WARNING ? ` and ${missing.length - LISTED_IN_WARNING} more` : '';
    this.warning = `${missing.length} contact center(s) without an active certificate (screen uploads wait for one): ${listed}${more}`;
  }
}
