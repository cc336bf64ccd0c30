import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { FEATURE_SUPERVISOR_RECORDING, FEATURE_VOICE_RECORDING } from './contact-center';
import { ContactCenterNotFoundException } from './contact-centers.exception';
import { ContactCentersService } from './contact-centers.service';

const EMBEDDED_DEFAULT_NAME = 'Default contact center';

/**
 * A contact center to start with (both recording features on), so a new installation is usable at once:
 * the one RWS_INITIAL_CONTACT_CENTER names is created at start unless it exists (docker compose, with any
 * store); without it, the embedded default creates "Default contact center" when it finds none. The id
 * derives from the name, so nodes starting together create the same one, once.
 */
@Injectable()
export class DefaultContactCenter implements OnApplicationBootstrap {
  private readonly logger = new Logger('ContactCenters');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly service: ContactCentersService,
  ) {}

  private ensured: Promise<string | undefined> | undefined;

  onApplicationBootstrap(): Promise<void> {
    return this.ensure().then(() => undefined);
  }

  /**
   * Makes sure the initial contact center exists; once per process, whoever asks first. Resolves with its id,
   * or undefined when this node starts with none (Cassandra without RWS_INITIAL_CONTACT_CENTER, or an
   * embedded store that already holds contact centers of its own).
   */
  ensure(): Promise<string | undefined> {
    this.ensured ??= this.createUnlessPresent();
    return this.ensured;
  }

  private async createUnlessPresent(): Promise<string | undefined> {
    const named = this.config.initialContactCenter;
    if (named !== undefined) return this.ensureNamed(named);
    if (this.config.metadata === 'embedded' && (await this.service.list()).length === 0) return this.ensureNamed(EMBEDDED_DEFAULT_NAME);
    return undefined;
  }

  private async ensureNamed(name: string): Promise<string> {
    const id = uuidFromName(name);
    const existing = await this.service.require(id).catch((err: unknown) => {
      if (err instanceof ContactCenterNotFoundException) return undefined;
      throw err;
    });
    if (existing) return id;
    const cc = await this.service.create(name, [FEATURE_VOICE_RECORDING, FEATURE_SUPERVISOR_RECORDING], id);
    this.logger.log({ msg: 'created the initial contact center', ccid: cc.id, name: cc.name });
    return cc.id;
  }
}

/** A UUID-shaped id (version 8, "custom") that every node computes alike from the same name. */
export function uuidFromName(name: string): string {
  const hex = createHash('sha256').update(`rws-contact-center:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
