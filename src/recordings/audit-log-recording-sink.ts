import { Injectable } from '@nestjs/common';
import { AuditLog } from '../identity/audit/audit-log.service';
import type { AuditOutcome } from '../identity/audit/audit-entry';
import { RecordingAuditEvent, RecordingAuditSink } from './recording-audit';

const OUTCOMES: Record<RecordingAuditEvent['outcome'], AuditOutcome> = {
  success: 'success',
  // A recording the caller may not see answers like a missing one; the log says it was refused.
  'not-found': 'denied',
  refused: 'denied',
  failed: 'failed',
};

/** Voice recording actions go to the identity module's audit log (awaited: no action goes unaudited). */
@Injectable()
export class AuditLogRecordingSink extends RecordingAuditSink {
  constructor(private readonly log: AuditLog) {
    super();
  }

  async record(event: RecordingAuditEvent): Promise<void> {
    await this.log.record({
      actor: event.actor ?? { userName: event.userName, ccid: event.ccid },
      action: event.action,
      outcome: OUTCOMES[event.outcome],
      ccid: event.ccid,
      objectType: 'recording',
      objectId: event.recordingId,
      source: event.from,
      detail: event.detail ? JSON.stringify(event.detail) : undefined,
    });
  }
}
