/** Roles a user can hold (api.md §3). */
export type Role = 'agent' | 'supervisor' | 'admin';

/** Fine-grained permissions (api.md §3). */
export type Permission = 'decrypt' | 'applyNonDelete' | 'manageLabels' | 'manageCertificates';

/**
 * Who is calling. `ops` is the configured operator account (every contact center); `service` accounts
 * act for one contact center's machines (Recording Processor, crypto service); `user` is a person.
 */
export interface Principal {
  kind: 'ops' | 'service' | 'user';
  userName: string;
  /** The contact center a service account or user belongs to; undefined for ops. */
  ccid?: string;
  roles: Role[];
  permissions: Permission[];
  agentId?: string;
  agentHierarchy?: string;
  accessGroups: string[];
}
