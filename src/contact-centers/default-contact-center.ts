import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { FEATURE_SUPERVISOR_RECORDING, FEATURE_VOICE_RECORDING } from './contact-center';
import { ContactCentersService } from './contact-centers.service';

const EMBEDDED_DEFAULT_NAME = 'Default contact center';

/**
 * A node that finds no contact center at its first start creates one (both recording features on), so it is
 * usable at once: always on the embedded default, and with any store when RWS_INITIAL_CONTACT_CENTER names it
 * (docker compose). Its id derives from the name, so nodes starting together create the same one, once.
 */
@Injectable()
export class DefaultContactCenter implements OnApplicationBootstrap {
  private readonly logger = new Logger('ContactCenters');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly service: ContactCentersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const name = this.config.initialContactCenter ?? (this.config.metadata === 'embedded' ? EMBEDDED_DEFAULT_NAME : undefined);
    if (name === undefined) return;
    if ((await this.service.list()).length > 0) return;
    const cc = await this.service.create(name, [FEATURE_VOICE_RECORDING, FEATURE_SUPERVISOR_RECORDING], uuidFromName(name));
    this.logger.log({ msg: 'created the first contact center', ccid: cc.id, name: cc.name });
  }
}

/** A UUID-shaped id (version 8, "custom") that every node computes alike from the same name. */
export function uuidFromName(name: string): string {
  const hex = createHash('sha256').update(`rws-contact-center:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
