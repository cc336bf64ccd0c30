import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { enforceRequirements, EndpointRequirements } from './access/endpoint-requirements';
import { OPS_ONLY_KEY, OPS_OR_SERVICE_KEY, PERMISSIONS_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthMetrics } from './authentication/auth-metrics';
import { Authenticator } from './authentication/authenticator';
import { CsrfProtection } from './csrf/csrf-protection';
import type { Permission, Principal, Role } from './principal';

/**
 * Authenticates every HTTP request unless the handler is @Public, applies CSRF to cookie sessions, and
 * enforces what the endpoint declared (@OpsOnly, @OpsOrService, @Roles, @RequirePermission). Registered
 * globally, so a new endpoint is protected by default. Runs before pipes: an unauthorised caller gets
 * 401/403, never a 400 about its input.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly csrf: CsrfProtection,
    private readonly metrics: AuthMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const response = context.switchToHttp().getResponse<Response>();

    const authentication = await this.authenticator.authenticate(request);
    request.principal = authentication.principal;
    const csrfContext = { account: authentication.account, sessionId: authentication.principal.sessionId, sessionClaims: authentication.sessionClaims };
    try {
      this.csrf.verify(request, csrfContext);
    } catch (err) {
      this.metrics.fail('csrf');
      throw err;
    }

    const requirements: EndpointRequirements = {
      opsOnly: this.reflector.getAllAndOverride<boolean>(OPS_ONLY_KEY, targets),
      opsOrService: this.reflector.getAllAndOverride<boolean>(OPS_OR_SERVICE_KEY, targets),
      roles: this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets),
      permissions: this.reflector.getAllAndOverride<Permission[]>(PERMISSIONS_KEY, targets),
    };
    const ccid = (request.params as Record<string, string | undefined>)?.ccid;
    enforceRequirements(authentication.principal, requirements, ccid);

    if (CsrfProtection.isSafe(request.method)) await this.csrf.issue(request, response, csrfContext);
    return true;
  }
}
