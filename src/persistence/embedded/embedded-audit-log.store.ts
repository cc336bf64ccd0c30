import { Injectable } from '@nestjs/common';
import { AuditEntry } from '../../identity/audit/audit-entry';
import { AuditLogStore, AuditQuery } from '../../identity/audit/audit-log.store';
import { EmbeddedDatabase, RowIndex } from './embedded-database';

const AUDIT = 'audit_log';

/** Per contact center, entries by time (then id, through the row key); the actor rides along for filtering. */
const AUDIT_INDEX: RowIndex = {
  name: 'audit_log',
  collection: AUDIT,
  version: 1,
  entriesOf: (_key, row) => [{ term: row.ccid as string, sort: row.at as string, data: String(row.actor).toLowerCase() }],
};

/**
 * AuditLogStore on the embedded database. Rows are keyed `ccid/at/id`; a query walks the contact
 * center's index entries newest first from its upper bound and reads only the rows it returns.
 */
@Injectable()
export class EmbeddedAuditLogStore extends AuditLogStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
    db.defineIndex(AUDIT_INDEX);
  }

  async append(entry: AuditEntry): Promise<void> {
    const at = new Date(entry.at).toISOString();
    await this.db.put(AUDIT, keyOf(entry.ccid, at, entry.id), { ...entry, at });
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const actor = q.actor?.toLowerCase();
    // Exclusive upper position: entries strictly before `to`, or strictly older than the cursor.
    const before = q.after ? { sort: q.after.at, key: keyOf(q.ccid, q.after.at, q.after.id) } : { sort: q.to.toISOString(), key: '' };
    const out: AuditEntry[] = [];
    for (const entry of this.db.scanDescending(AUDIT_INDEX.name, q.ccid, { before, min: q.from.toISOString() })) {
      if (out.length >= q.limit) break;
      if (actor !== undefined && entry.data !== actor) continue;
      const row = this.db.get(AUDIT, entry.key);
      if (row) out.push(row as unknown as AuditEntry);
    }
    return out;
  }
}

function keyOf(ccid: string, at: string, id: string): string {
  return `${ccid}/${at}/${id}`;
}
