import { Injectable, Logger } from '@nestjs/common';

/** One audit record per attempt to unwrap a file key (api.md §8: every unwrap is audited). */
export interface KeyUnwrapAuditEvent {
  action: 'crypto.unwrapFileKey';
  outcome: 'success' | 'denied' | 'failure';
  at: string;
  actor: { kind: string; userName: string; ccid?: string };
  ccid: string;
  certificateId?: string;
  /** Why it was denied or failed (never key material). */
  reason?: string;
  /** What was being decrypted, e.g. `recording/<id>/<mediaId>`, as the caller says. */
  resource?: string;
  clientAddress?: string;
}

/**
 * Where unwrap audit records go. The identity module's audit log implements this port; until it is bound,
 * records go to the JSON log. An unwrap whose record cannot be written is refused (fail closed).
 */
export abstract class CryptoAuditSink {
  abstract record(event: KeyUnwrapAuditEvent): Promise<void>;
}

/** The default sink: one structured log line per record. */
@Injectable()
export class LoggingCryptoAuditSink extends CryptoAuditSink {
  private readonly logger = new Logger('Audit');

  async record(event: KeyUnwrapAuditEvent): Promise<void> {
    this.logger.log({ msg: 'audit', ...event });
  }
}
