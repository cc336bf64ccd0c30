import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../../config/app-config';
import { rejectDeepJson } from '../../common/http/json-depth';
import { JsonLogger } from '../../common/logging/json-logger';
import { envelopeValidationPipe } from '../../common/validation/envelope-validation.pipe';
import { CryptoServerModule } from './crypto-server.module';

/** Creates the crypto service application (not yet listening). Needs RWS_CRYPTO_SERVICE_TOKEN. */
export async function createCryptoServer(config: AppConfig, options: { logger?: JsonLogger | false } = {}): Promise<INestApplication> {
  if (!config.cryptoServiceToken) throw new Error('the crypto service needs RWS_CRYPTO_SERVICE_TOKEN (the credential API nodes present)');
  const app = await NestFactory.create<NestExpressApplication>(CryptoServerModule.forConfig(config), {
    logger: options.logger ?? new JsonLogger(config.logLevel),
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '2mb', verify: rejectDeepJson });
  app.useGlobalPipes(envelopeValidationPipe());
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  return app;
}
