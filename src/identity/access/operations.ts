import type { Permission, Principal, Role } from '../principal';

/**
 * Everything a caller can do to recordings and their contact center (api.md §2–§6):
 *  - read/search/play: see a recording (its metadata, a search hit, its media through a player);
 *  - download: the stored bytes as kept in storage (ciphertext), for service clients (muxers, crypto servers);
 *  - decrypt: have a file key unwrapped, so that encrypted media can be played;
 *  - label, hold (non-delete), delete: change or destroy a recording;
 *  - control: start/stop/pause/resume the recording of another agent's call;
 *  - manage: the ops API of a contact center (users, settings, storage, features).
 */
export type Operation = 'read' | 'search' | 'play' | 'download' | 'decrypt' | 'label' | 'hold' | 'delete' | 'control' | 'manage';
export const OPERATIONS: readonly Operation[] = ['read', 'search', 'play', 'download', 'decrypt', 'label', 'hold', 'delete', 'control', 'manage'];

/** What an operation needs beyond seeing its target (visibility is the AccessPolicy's scope). */
interface OperationRule {
  /** Principal kinds that may do it at all (the ops account always may). */
  kinds: readonly Principal['kind'][];
  /** A permission every non-ops caller must hold explicitly (the ops account holds them all). */
  permission?: Permission;
  /** One of these roles, for users. */
  roles?: readonly Role[];
  /** Service accounts may do it without the permission (they act for their whole contact center). */
  serviceWithoutPermission?: boolean;
}

/**
 * The operation table: the single statement of who may do what (docs/access.md shows it as a table).
 * Service accounts are machines of one contact center; they get no permission for free except `decrypt`
 * (a crypto server of the contact center exists to unwrap its keys). Deleting is an operator's act: only
 * holders of `deleteRecordings` (granted explicitly; no role implies it) and the ops account delete.
 */
export const OPERATION_RULES: Readonly<Record<Operation, OperationRule>> = {
  read: { kinds: ['user', 'service'] },
  search: { kinds: ['user', 'service'] },
  play: { kinds: ['user', 'service'] },
  download: { kinds: ['service'] },
  decrypt: { kinds: ['user', 'service'], permission: 'decrypt', serviceWithoutPermission: true },
  label: { kinds: ['user', 'service'], permission: 'manageLabels' },
  hold: { kinds: ['user', 'service'], permission: 'applyNonDelete' },
  delete: { kinds: ['user', 'service'], permission: 'deleteRecordings' },
  control: { kinds: ['user'], roles: ['supervisor', 'admin'] },
  manage: { kinds: [] },
};

/** Why an operation is refused: a missing role/kind (403, statusCode 5) or a missing permission (403, statusCode 3). */
export type Refusal = { kind: 'role' | 'permission'; message: string };

/**
 * Whether the principal holds a permission: what was granted, read literally for everybody. The ops account
 * is granted every permission when it signs in (identity/authentication/account.ts); a principal that only
 * claims to be ops (e.g. forwarded to the crypto service) holds what it carries.
 */
export function holdsPermission(principal: Principal, permission: Permission): boolean {
  return principal.permissions.includes(permission);
}

/** The refusal of `operation` for this principal, or undefined when its kind, roles and permissions allow it. */
export function refusalOf(principal: Principal, operation: Operation): Refusal | undefined {
  const rule = OPERATION_RULES[operation];
  if (principal.kind !== 'ops') {
    if (!rule.kinds.includes(principal.kind)) {
      return { kind: 'role', message: `Insufficient user roles: ${operation} is not allowed for ${principal.kind === 'service' ? 'service accounts' : 'users'}.` };
    }
    if (rule.roles && principal.kind === 'user' && !rule.roles.some((role) => principal.roles.includes(role))) {
      return { kind: 'role', message: `Insufficient user roles: one of ${rule.roles.join(', ')} is required.` };
    }
  }
  if (rule.permission && !(rule.serviceWithoutPermission && principal.kind === 'service') && !holdsPermission(principal, rule.permission)) {
    return { kind: 'permission', message: `Insufficient recording permissions: ${rule.permission} required.` };
  }
  return undefined;
}
