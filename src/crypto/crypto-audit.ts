import { Injectable } from '@nestjs/common';
import { AuditLog } from '../identity/audit/audit-log.service';
import type { Principal } from '../identity/principal';

/** One audit record per attempt to unwrap a file key (api.md §8: every unwrap is audited). */
export interface KeyUnwrapAuditEvent {
  outcome: 'success' | 'denied' | 'failed';
  actor: Principal;
  ccid: string;
  certificateId?: string;
  /** Why it was denied or failed (never key material). */
  reason?: string;
  /** What was being decrypted, e.g. `recording/<id>/<mediaId>`, as the caller says. */
  resource?: string;
  clientAddress?: string;
}

/**
 * Where unwrap audit records go: a port, so the crypto service does not depend on how the audit log
 * stores entries. An unwrap whose record cannot be written is refused (fail closed).
 */
export abstract class CryptoAuditSink {
  abstract record(event: KeyUnwrapAuditEvent): Promise<void>;
}

/** The sink on identity's audit log: action `keyUnwrap`, object = the media (or the certificate). */
@Injectable()
export class AuditLogCryptoAuditSink extends CryptoAuditSink {
  constructor(private readonly audit: AuditLog) {
    super();
  }

  async record(event: KeyUnwrapAuditEvent): Promise<void> {
    const detail = [event.certificateId && `certificate ${event.certificateId}`, event.reason].filter(Boolean).join(': ');
    await this.audit.record({
      actor: event.actor,
      action: 'keyUnwrap',
      outcome: event.outcome,
      ccid: event.ccid,
      objectType: event.resource ? 'media' : 'certificate',
      objectId: event.resource ?? event.certificateId,
      source: event.clientAddress,
      detail: detail || undefined,
    });
  }
}
