import { Global, Module } from '@nestjs/common';
import { TrustedProxies } from '../common/http/trusted-proxies';
import { AppConfig, loadConfig } from './app-config';

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the configuration object (and the proxies it trusts); tests pass their own with ConfigModule.forConfig. */
@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: AppConfig = loadConfig()) {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: TrustedProxies, useValue: new TrustedProxies(config.trustedProxies) },
      ],
      exports: [APP_CONFIG, TrustedProxies],
    };
  }
}
