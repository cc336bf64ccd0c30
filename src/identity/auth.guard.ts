import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { OPS_ONLY_KEY, PUBLIC_KEY } from './auth.decorators';
import { parseBasicAuthorization } from './basic-credentials';
import { InsufficientRolesException, UnauthenticatedException } from './identity.exception';
import { OpsAccount } from './ops-account';
import type { Principal } from './principal';

/**
 * Authenticates every HTTP request unless the handler is @Public, and enforces @OpsOnly.
 * Registered globally, so a new endpoint is protected by default.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly ops: OpsAccount,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = this.authenticate(request);
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(OPS_ONLY_KEY, targets) && principal.kind !== 'ops') {
      throw new InsufficientRolesException();
    }
    return true;
  }

  private authenticate(request: Request): Principal {
    const basic = parseBasicAuthorization(request.headers.authorization);
    if (!basic) throw new UnauthenticatedException();
    if (this.ops.matches(basic.userName, basic.password)) {
      return { kind: 'ops', userName: basic.userName, roles: ['admin'], permissions: [], accessGroups: ['/'] };
    }
    throw new UnauthenticatedException('Invalid credentials.');
  }
}
