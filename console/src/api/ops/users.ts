import { api } from '../client';
import { ccPath } from './paths';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const PERMISSIONS = ['decrypt', 'applyNonDelete', 'manageLabels', 'manageCertificates', 'deleteRecordings'] as const;

/** A user or service account as the ops API shows it. */
export interface User {
  userName: string;
  ccid: string;
  kind: 'user' | 'service';
  roles: string[];
  agentId?: string;
  agentHierarchy?: string;
  accessGroups: string[];
  permissions: string[];
  recordingWhen: 'voice' | 'off';
  createdAt: string;
  updatedAt: string;
}

/** What a create or a replace sends (a replace sends every attribute: PUT replaces them all). */
export type UserAttributes = Pick<User, 'kind' | 'roles' | 'agentId' | 'agentHierarchy' | 'accessGroups' | 'permissions' | 'recordingWhen'>;

export async function listUsers(ccid: string): Promise<User[]> {
  return (await api.get<{ users: User[] }>(`${ccPath(ccid)}/users`)).users;
}

export async function createUser(ccid: string, user: UserAttributes & { userName: string; password: string }): Promise<User> {
  return (await api.post<{ user: User }>(`${ccPath(ccid)}/users`, user)).user;
}

/** Changes the roles, keeping every other attribute as it is. */
export async function changeRoles(ccid: string, user: User, roles: string[]): Promise<User> {
  const { kind, agentId, agentHierarchy, accessGroups, permissions, recordingWhen } = user;
  const body: UserAttributes = { kind, roles, agentId, agentHierarchy, accessGroups, permissions, recordingWhen };
  return (await api.put<{ user: User }>(`${ccPath(ccid)}/users/${encodeURIComponent(user.userName)}`, body)).user;
}

export async function deleteUser(ccid: string, userName: string): Promise<void> {
  await api.delete(`${ccPath(ccid)}/users/${encodeURIComponent(userName)}`);
}
