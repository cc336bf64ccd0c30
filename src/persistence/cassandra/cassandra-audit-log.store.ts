import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { AuditEntry } from '../../identity/audit/audit-entry';
import { AuditLogStore, AuditQuery } from '../../identity/audit/audit-log.store';
import { CassandraConnection } from './cassandra-connection';

const DAY_MS = 86_400_000;
const DATA_COLUMNS = 'at, id, actor, actor_kind, action, object_type, object_id, source, outcome, detail';

/**
 * AuditLogStore on Cassandra. Each entry is written to audit_log ((ccid, day)) and audit_log_by_actor
 * ((ccid, actor, day)) in one logged batch, so both views hold the same entries. A query walks day
 * partitions from the newest day of the window backwards until the page is full.
 */
@Injectable()
export class CassandraAuditLogStore extends AuditLogStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async append(e: AuditEntry): Promise<void> {
    const at = new Date(e.at);
    const data = [at, e.id, e.actor, e.actorKind, e.action, e.objectType ?? null, e.objectId ?? null, e.source ?? null, e.outcome, e.detail ?? null];
    await this.cql.batch(
      [
        { query: `INSERT INTO audit_log (ccid, day, ${DATA_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, params: [e.ccid, dayOf(at), ...data] },
        {
          query: `INSERT INTO audit_log_by_actor (ccid, actor_key, day, ${DATA_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [e.ccid, e.actor.toLowerCase(), dayOf(at), ...data],
        },
      ],
      { idempotent: true },
    );
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const upper = q.after ? new Date(q.after.at) : q.to;
    const firstDay = Math.floor(q.from.getTime() / DAY_MS) * DAY_MS;
    for (let day = Math.floor((upper.getTime() - (q.after ? 0 : 1)) / DAY_MS) * DAY_MS; day >= firstDay && out.length < q.limit; day -= DAY_MS) {
      const { table, partition, params } = q.actor
        ? { table: 'audit_log_by_actor', partition: 'ccid = ? AND actor_key = ? AND day = ?', params: [q.ccid, q.actor.toLowerCase(), dayOf(new Date(day))] }
        : { table: 'audit_log', partition: 'ccid = ? AND day = ?', params: [q.ccid, dayOf(new Date(day))] };
      const bound = q.after ? '(at, id) < (?, ?) AND at >= ?' : 'at < ? AND at >= ?';
      const boundParams = q.after ? [new Date(q.after.at), q.after.id, q.from] : [q.to, q.from];
      const result = await this.cql.execute(
        `SELECT ${DATA_COLUMNS} FROM ${table} WHERE ${partition} AND ${bound} LIMIT ?`,
        [...params, ...boundParams, q.limit - out.length],
        { idempotent: true, fetchSize: q.limit },
      );
      out.push(...result.rows.map((row) => toEntry(q.ccid, row)));
    }
    return out;
  }
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function toEntry(ccid: string, row: types.Row): AuditEntry {
  const optional = (v: unknown) => (v === null || v === undefined ? undefined : (v as string));
  return {
    id: row.id as string,
    ccid,
    at: (row.at as Date).toISOString(),
    actor: row.actor as string,
    actorKind: row.actor_kind as AuditEntry['actorKind'],
    action: row.action as AuditEntry['action'],
    objectType: optional(row.object_type),
    objectId: optional(row.object_id),
    source: optional(row.source),
    outcome: row.outcome as AuditEntry['outcome'],
    detail: optional(row.detail),
  };
}
