import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { FEATURE_SUPERVISOR_RECORDING, FEATURE_VOICE_RECORDING } from './contact-center';
import { ContactCentersService } from './contact-centers.service';

/** The embedded default starts with one contact center (both recording features on), so it is usable at once. */
@Injectable()
export class DefaultContactCenter implements OnApplicationBootstrap {
  private readonly logger = new Logger('ContactCenters');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly service: ContactCentersService,
  ) {}

  private ensured: Promise<void> | undefined;

  onApplicationBootstrap(): Promise<void> {
    return this.ensure();
  }

  /** Creates the default contact center when none exists; once per process, whoever asks first. */
  ensure(): Promise<void> {
    this.ensured ??= this.createIfNone();
    return this.ensured;
  }

  private async createIfNone(): Promise<void> {
    if (this.config.metadata !== 'embedded') return;
    if ((await this.service.list()).length > 0) return;
    const cc = await this.service.create('Default contact center', [FEATURE_VOICE_RECORDING, FEATURE_SUPERVISOR_RECORDING]);
    this.logger.log({ msg: 'created the default contact center', ccid: cc.id });
  }
}
