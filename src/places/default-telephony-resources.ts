import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ContactCenterStore } from '../contact-centers/contact-center.store';
import { DefaultContactCenter } from '../contact-centers/default-contact-center';
import { TelephonyResourceStore } from './telephony-resource.store';
import { DEFAULT_SWITCH } from './telephony-resources';

/** DNs 7001–7010, the numbers of the simulator's scenarios and of the documentation's examples. */
export const DEFAULT_DNS = Array.from({ length: 10 }, (_, i) => String(7001 + i));
const MARKER_GROUP = 'telephony-defaults';

/**
 * A node with the built-in simulator gives its initial contact center (see DefaultContactCenter; docker compose
 * names one) DNs 7001–7010 and one place per DN (`Place_7001` …, open to every agent), once: a newcomer's
 * `npm start` plus the simulator works without configuring telephony, and what an operator later removes is
 * not put back.
 */
@Injectable()
export class DefaultTelephonyResources implements OnApplicationBootstrap {
  private readonly logger = new Logger('Places');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly contactCenters: ContactCenterStore,
    private readonly store: TelephonyResourceStore,
    private readonly defaultContactCenter: DefaultContactCenter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.sipServerAddresses.length > 0) return;
    // The initial contact center (embedded default, or RWS_INITIAL_CONTACT_CENTER as docker compose sets it);
    // an embedded store that had contact centers before: its first one.
    const initial = await this.defaultContactCenter.ensure();
    const first = initial ? { id: initial } : this.config.metadata === 'embedded' ? (await this.contactCenters.list())[0] : undefined;
    if (!first || (await this.contactCenters.getSettings(first.id, MARKER_GROUP))) return;
    const now = new Date().toISOString();
    for (const dn of DEFAULT_DNS) {
      const stored = await this.store.createDn({ ccid: first.id, dn, switch: DEFAULT_SWITCH, createdAt: now });
      if (stored.ccid !== first.id) continue;
      await this.store.createPlace({ ccid: first.id, name: `Place_${dn}`, dns: [dn], agents: [], createdAt: now, updatedAt: now });
    }
    await this.contactCenters.putSettings(first.id, MARKER_GROUP, { seededAt: now, dns: DEFAULT_DNS });
    this.logger.log({ msg: 'gave the default contact center DNs and places for the built-in simulator', ccid: first.id, dns: `${DEFAULT_DNS[0]}–${DEFAULT_DNS.at(-1)}` });
  }
}
