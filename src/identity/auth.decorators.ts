import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './principal';

export const PUBLIC_KEY = 'rws:public';
export const OPS_ONLY_KEY = 'rws:ops-only';

/** The endpoint needs no credentials (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only the ops account (and service accounts of the same contact center) may call the endpoint. */
export const OpsOnly = () => SetMetadata(OPS_ONLY_KEY, true);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return (ctx.switchToHttp().getRequest<Request>() as Request & { principal: Principal }).principal;
});
