import type { Permission, RecordingWhen, Role } from '../principal';

/** `user` is a person (agent, supervisor, admin); `service` is a machine of one contact center. */
export type UserKind = 'user' | 'service';

/** An account stored in the metadata store (api.md §3). Never leaves the node with its password hash. */
export interface User {
  /** The contact center the account belongs to. */
  ccid: string;
  /** As created (case kept); unique on the node regardless of case, see userKey(). */
  userName: string;
  kind: UserKind;
  /** scrypt PHC string (see PasswordHasher). */
  passwordHash: string;
  /** Changes when the password changes: tokens, sessions and cached credentials minted before are refused. */
  credentialStamp: string;
  roles: Role[];
  agentId?: string;
  agentHierarchy?: string;
  accessGroups: string[];
  permissions: Permission[];
  recordingWhen: RecordingWhen;
  createdAt: string;
  updatedAt: string;
}

/**
 * The node-wide key of a user name. Basic auth carries no contact center, so user names are unique across
 * the node (all contact centers), compared case-insensitively so `Alice` and `alice` cannot both exist.
 */
export function userKey(userName: string): string {
  return userName.normalize('NFC').toLowerCase();
}
