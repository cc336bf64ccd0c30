import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { OpsAccount } from './ops-account';

/** Authentication for every endpoint (global guard) and the operator account. */
@Global()
@Module({ providers: [OpsAccount, { provide: APP_GUARD, useClass: AuthGuard }], exports: [OpsAccount] })
export class IdentityModule {}
