import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { PageTokenSigner } from '../recordings/search/page-token';
import { pageTokenKey } from '../recordings/search/page-token-key';

/** Page tokens of the screen-recording search: the voice search's signer and key (bound to a digest naming the screen search). */
@Injectable()
export class ScreenSearchPageTokens extends PageTokenSigner {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(pageTokenKey(config));
  }
}
