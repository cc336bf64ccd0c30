import { Injectable } from '@nestjs/common';
import { AuditEntry } from '../../identity/audit/audit-entry';
import { AuditLogStore, AuditQuery } from '../../identity/audit/audit-log.store';
import { EmbeddedDatabase } from './embedded-database';

const AUDIT = 'audit_log';

/**
 * AuditLogStore on the embedded database. Rows are keyed `ccid/at/id`; an in-memory index per contact
 * center, sorted by (at, id), is built at first use and kept current on append, so a query is a binary
 * search plus the page, not a scan of the whole log.
 */
@Injectable()
export class EmbeddedAuditLogStore extends AuditLogStore {
  private index: Map<string, AuditEntry[]> | undefined;

  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async append(entry: AuditEntry): Promise<void> {
    const at = new Date(entry.at).toISOString();
    const key = `${entry.ccid}/${at}/${entry.id}`;
    await this.db.put(AUDIT, key, { ...entry, at });
    // The index shares the database's frozen row instead of holding a second copy.
    const stored = this.db.get(AUDIT, key) as unknown as AuditEntry;
    const list = this.entriesOf(entry.ccid);
    if (!list.includes(stored)) list.splice(upperBound(list, stored.at, stored.id), 0, stored);
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const list = this.entriesOf(q.ccid);
    const from = q.from.toISOString();
    const actor = q.actor?.toLowerCase();
    // Exclusive upper position: entries strictly before `to`, or strictly older than the cursor.
    let i = q.after ? lowerBound(list, q.after.at, q.after.id) : lowerBound(list, q.to.toISOString(), '');
    const out: AuditEntry[] = [];
    while (--i >= 0 && out.length < q.limit) {
      const e = list[i];
      if (e.at < from) break;
      if (actor === undefined || e.actor.toLowerCase() === actor) out.push({ ...e });
    }
    return out;
  }

  private entriesOf(ccid: string): AuditEntry[] {
    if (!this.index) {
      this.index = new Map();
      for (const row of this.db.values(AUDIT)) {
        const e = row as unknown as AuditEntry;
        const list = this.index.get(e.ccid) ?? [];
        list.push(e);
        this.index.set(e.ccid, list);
      }
      for (const list of this.index.values()) list.sort((a, b) => compare(a, b.at, b.id));
    }
    let list = this.index.get(ccid);
    if (!list) {
      list = [];
      this.index.set(ccid, list);
    }
    return list;
  }
}

function compare(e: AuditEntry, at: string, id: string): number {
  return e.at < at ? -1 : e.at > at ? 1 : e.id < id ? -1 : e.id > id ? 1 : 0;
}

/** First position whose entry is >= (at, id). */
function lowerBound(list: AuditEntry[], at: string, id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid], at, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position whose entry is > (at, id). */
function upperBound(list: AuditEntry[], at: string, id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid], at, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
