/** What an audited caller did (api.md §2: every search, play, download and delete; key unwraps; user changes). */
export type AuditAction =
  | 'search'
  | 'create'
  | 'read'
  | 'play'
  | 'download'
  | 'delete'
  | 'applyNonDelete'
  | 'removeNonDelete'
  | 'addLabel'
  | 'removeLabel'
  | 'keyUnwrap'
  | 'userCreate'
  | 'userUpdate'
  | 'userDelete'
  | 'dnCreate'
  | 'dnDelete'
  | 'placeCreate'
  | 'placeUpdate'
  | 'placeDelete'
  | 'login'
  | 'refresh'
  | 'logout'
  | 'signingKeyRotate'
  | 'signingKeyRetire'
  | 'retentionPolicyCreate'
  | 'retentionPolicyUpdate'
  | 'retentionPolicyDelete'
  | 'retentionDryRun'
  | 'retentionRun'
  | 'receiptIssue'
  | 'webhookCreate'
  | 'webhookDelete'
  | 'subjectAccess'
  | 'subjectErasure'
  | 'exportCreate'
  | 'exportCancel'
  | 'exportResume'
  | 'exportFinish'
  | 'exportDownload';

/** `denied`: refused by access control; `failed`: allowed but did not complete (or bad credentials). */
export type AuditOutcome = 'success' | 'denied' | 'failed';

/** One audit record: who did what to which object, when, from where, and how it ended. */
export interface AuditEntry {
  /** Unique id (UUID); with `at` it orders entries of the same millisecond. */
  id: string;
  /** The contact center concerned; NODE_SCOPE for node-wide events (signing keys, unknown user names). */
  ccid: string;
  at: string;
  actor: string;
  actorKind: 'ops' | 'service' | 'user' | 'anonymous';
  action: AuditAction;
  objectType?: string;
  objectId?: string;
  /** Client address as seen by this node (X-Forwarded-For honoured from loopback proxies only). */
  source?: string;
  outcome: AuditOutcome;
  /** Short free text (a reason, a filter summary); never secrets. */
  detail?: string;
}

/** The ccid under which node-wide events are filed. */
export const NODE_SCOPE = '00000000-0000-0000-0000-000000000000';
