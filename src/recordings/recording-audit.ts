/** One audited action on recordings (api.md §2: who, what, when, from where, outcome). */
export interface RecordingAuditEvent {
  action: 'search' | 'delete' | 'applyNonDelete' | 'removeNonDelete' | 'addLabel' | 'removeLabel' | 'play';
  userName: string;
  ccid: string;
  recordingId?: string;
  outcome: 'success' | 'not-found' | 'refused' | 'failed';
  /** Client address as the node saw it. */
  from?: string;
  at: string;
  detail?: Record<string, unknown>;
}

/**
 * Where recording actions are audited. The identity module's audit log implements it at merge; until
 * then the no-op default stands in (bound in RecordingsModule).
 */
export abstract class RecordingAuditSink {
  abstract record(event: RecordingAuditEvent): Promise<void>;
}

/** Placeholder until the audit log exists: records nothing. */
export class NoopRecordingAuditSink extends RecordingAuditSink {
  async record(): Promise<void> {}
}
