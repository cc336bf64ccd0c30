import { PERMISSIONS, Principal, type AuthMethod } from '../principal';
import type { User } from '../users/user';

/** Anything that can sign in: the configured ops account or a stored user (person or service). */
export interface Account extends Omit<Principal, 'authMethod' | 'sessionId'> {
  passwordHash: string;
  credentialStamp: string;
}

export function accountOfUser(user: User): Account {
  return {
    kind: user.kind,
    userName: user.userName,
    ccid: user.ccid,
    passwordHash: user.passwordHash,
    credentialStamp: user.credentialStamp,
    roles: [...user.roles],
    permissions: [...user.permissions],
    agentId: user.agentId,
    agentHierarchy: user.agentHierarchy,
    accessGroups: [...user.accessGroups],
    recordingWhen: user.recordingWhen,
  };
}

/** The ops account acts on every contact center with every role and permission. */
export function opsAccount(userName: string, passwordHash: string, credentialStamp: string): Account {
  return { kind: 'ops', userName, passwordHash, credentialStamp, roles: ['admin'], permissions: [...PERMISSIONS], accessGroups: ['/'] };
}

/** The request-scoped view of an account (no password hash, no stamp). */
export function principalOf(account: Account, authMethod: AuthMethod, sessionId?: string): Principal {
  return {
    kind: account.kind,
    userName: account.userName,
    ccid: account.ccid,
    roles: [...account.roles],
    permissions: [...account.permissions],
    agentId: account.agentId,
    agentHierarchy: account.agentHierarchy,
    accessGroups: [...account.accessGroups],
    recordingWhen: account.recordingWhen,
    authMethod,
    sessionId,
  };
}
