import { InsufficientPermissionsException, InsufficientRolesException } from '../identity.exception';
import type { Permission, Principal, Role } from '../principal';
import { holdsPermission } from './operations';

/** What an endpoint declared with @OpsOnly, @OpsOrService, @Roles and @RequirePermission. */
export interface EndpointRequirements {
  opsOnly?: boolean;
  opsOrService?: boolean;
  roles?: Role[];
  permissions?: Permission[];
}

/** Throws 403 (statusCode 5 for roles/scope, 3 for permissions) unless the principal meets the requirements. */
export function enforceRequirements(principal: Principal, requirements: EndpointRequirements, routeCcid: string | undefined): void {
  if (principal.kind === 'ops') return;
  if (requirements.opsOnly) throw new InsufficientRolesException('Only the operator account may call this endpoint.');
  if (requirements.opsOrService) {
    const sameContactCenter = routeCcid !== undefined && principal.ccid !== undefined && routeCcid.toLowerCase() === principal.ccid.toLowerCase();
    if (principal.kind !== 'service' || !sameContactCenter) {
      throw new InsufficientRolesException('Only the operator account or a service account of this contact center may call this endpoint.');
    }
  }
  if (requirements.roles?.length && !requirements.roles.some((role) => principal.roles.includes(role))) {
    throw new InsufficientRolesException(`Insufficient user roles: one of ${requirements.roles.join(', ')} is required.`);
  }
  const missing = (requirements.permissions ?? []).filter((p) => !holdsPermission(principal, p));
  if (missing.length) throw new InsufficientPermissionsException(`Insufficient recording permissions: ${missing.join(', ')} required.`);
}
