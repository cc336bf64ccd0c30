import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Permission, Principal, Role } from './principal';

export const PUBLIC_KEY = 'rws:public';
export const OPS_ONLY_KEY = 'rws:ops-only';
export const OPS_OR_SERVICE_KEY = 'rws:ops-or-service';
export const ROLES_KEY = 'rws:roles';
export const PERMISSIONS_KEY = 'rws:permissions';

/** The endpoint needs no credentials (health, metrics, docs, the token endpoints themselves). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only the ops account may call the endpoint (contact centers, users, audit log, signing keys). Else 403/5. */
export const OpsOnly = () => SetMetadata(OPS_ONLY_KEY, true);

/**
 * The ops account, or a service account of the contact center named by the route's `ccid` parameter
 * (the Recording Processor, the crypto service on `/internal-api/…` and ops recording paths). Else 403/5.
 */
export const OpsOrService = () => SetMetadata(OPS_OR_SERVICE_KEY, true);

/** The caller needs at least one of these roles (the ops account passes). Else 403, statusCode 5. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The caller needs every one of these permissions (the ops account passes). Else 403, statusCode 3. */
export const RequirePermission = (...permissions: Permission[]) => SetMetadata(PERMISSIONS_KEY, permissions);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return (ctx.switchToHttp().getRequest<Request>() as Request & { principal: Principal }).principal;
});
