import type { Principal } from '../identity/principal';

/** One audited action on recordings (api.md §2: who, what, when, from where, outcome). */
export interface RecordingAuditEvent {
  action: 'search' | 'delete' | 'applyNonDelete' | 'removeNonDelete' | 'addLabel' | 'removeLabel' | 'play';
  userName: string;
  /** The acting principal, when the action came through the API. */
  actor?: Principal;
  ccid: string;
  recordingId?: string;
  outcome: 'success' | 'not-found' | 'refused' | 'failed';
  /** Client address as the node saw it. */
  from?: string;
  at: string;
  detail?: Record<string, unknown>;
}

/** Where recording actions are audited (the identity module's audit log, see AuditLogRecordingSink). */
export abstract class RecordingAuditSink {
  abstract record(event: RecordingAuditEvent): Promise<void>;
}
