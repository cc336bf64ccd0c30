import { Body, CanActivate, Controller, ExecutionContext, HttpCode, Inject, Injectable, Post, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Public } from '../../identity/auth.decorators';
import { secretsEqual } from '../../identity/constant-time';
import { UnauthenticatedException } from '../../identity/identity.exception';
import { CryptoService } from '../crypto.service';
import { principalOf, UNWRAP_PATH, UnwrapRequest, UnwrapResponse } from '../remote/unwrap-protocol';

/** Admits only callers presenting the crypto service credential (`Authorization: Bearer <RWS_CRYPTO_SERVICE_TOKEN>`). */
@Injectable()
export class ServiceCredentialGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token || !this.config.cryptoServiceToken || !secretsEqual(token, this.config.cryptoServiceToken)) {
      throw new UnauthenticatedException('Invalid service credential.');
    }
    return true;
  }
}

/** The crypto service's endpoint for API nodes: unwraps one file key per request, authorised and audited. */
@Controller(UNWRAP_PATH)
export class KeyUnwrapController {
  constructor(private readonly crypto: CryptoService) {}

  @Post()
  @Public()
  @UseGuards(ServiceCredentialGuard)
  @HttpCode(200)
  async unwrap(@Body() body: UnwrapRequest): Promise<UnwrapResponse> {
    const key = await this.crypto.unwrapFileKey(principalOf(body.principal), body.ccid.toLowerCase(), body.pkcs7, body.context ?? {});
    try {
      return { statusCode: 0, contentKey: key.contentKey.toString('base64'), iv: key.iv.toString('base64'), certificateId: key.certificateId };
    } finally {
      key.contentKey.fill(0);
    }
  }
}
