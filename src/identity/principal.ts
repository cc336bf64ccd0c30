/** Roles a user can hold (api.md §3). */
export type Role = 'agent' | 'supervisor' | 'admin';
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

/** Fine-grained permissions (api.md §3). */
export type Permission = 'decrypt' | 'applyNonDelete' | 'manageLabels' | 'manageCertificates' | 'deleteRecordings';
/** `deleteRecordings` is an operator's act: nobody holds it unless an operator grants it (the ops account always does). */
export const PERMISSIONS: readonly Permission[] = ['decrypt', 'applyNonDelete', 'manageLabels', 'manageCertificates', 'deleteRecordings'];

/** Whether an agent's screen is recorded (api.md §3, §5). */
export type RecordingWhen = 'voice' | 'off';

/** How the caller proved who it is. */
export type AuthMethod = 'basic' | 'bearer' | 'session';

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
  recordingWhen?: RecordingWhen;
  /** Set by the AuthGuard; absent on principals built outside a request. */
  authMethod?: AuthMethod;
  /** The login session (token family / cookie session) the request belongs to, when it has one. */
  sessionId?: string;
}
