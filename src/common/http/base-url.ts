import type { Request } from 'express';

/** `scheme://host` as the client addressed this node, for the absolute URIs RWS clients expect. */
export function baseUrlOf(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}
