import type { AuditEntry } from './audit-entry';

/** A time-window query of one contact center's audit log, newest first. */
export interface AuditQuery {
  ccid: string;
  /** Inclusive lower bound. */
  from: Date;
  /** Exclusive upper bound. */
  to: Date;
  /** Only this actor (case-insensitive). */
  actor?: string;
  limit: number;
  /** Continue strictly after (older than) this entry. */
  after?: { at: string; id: string };
}

/** Persistence port for the append-only audit log. */
export abstract class AuditLogStore {
  abstract append(entry: AuditEntry): Promise<void>;
  /** At most `limit` entries, newest first. */
  abstract query(query: AuditQuery): Promise<AuditEntry[]>;
}
