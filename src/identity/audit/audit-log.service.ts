import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import type { Principal } from '../principal';
import { AuditAction, AuditEntry, AuditOutcome, NODE_SCOPE } from './audit-entry';
import { AuditLogStore, AuditQuery } from './audit-log.store';
import { AuditEntryView, AuditLogQueryDto, AuditLogResponse } from './audit.dto';
import { formatTimestamp, parseTimestamp } from '../../common/rws-time';

const DAY_MS = 86_400_000;
/** Widest window one query may span (each day is one partition to visit). */
const MAX_WINDOW_DAYS = 92;

/** What a caller reports; the log adds id and time. */
export interface AuditEvent {
  /** The acting principal, or a bare user name for failed sign-ins (no principal exists then). */
  actor: Principal | { userName: string; ccid?: string; kind?: 'anonymous' };
  action: AuditAction;
  outcome: AuditOutcome;
  /** Defaults to the actor's contact center, else NODE_SCOPE. */
  ccid?: string;
  objectType?: string;
  objectId?: string;
  source?: string;
  detail?: string;
}

/**
 * The audit log (api.md §2): who did what to which object, when, from where, with which outcome.
 * `record` is awaited by callers whose action must not happen unaudited (reads of recordings, deletes,
 * key unwraps, user changes): if the store cannot take the entry the action fails. `recordQuietly` is for
 * events that must not turn into a denial of service (failed sign-ins): failures are logged, not thrown.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  constructor(private readonly store: AuditLogStore) {}

  async record(event: AuditEvent): Promise<AuditEntry> {
    const entry = toEntry(event);
    await this.store.append(entry);
    return entry;
  }

  recordQuietly(event: AuditEvent): void {
    this.record(event).catch((err: Error) => this.logger.error({ msg: 'audit entry lost', action: event.action, error: err.message }));
  }

  query(query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.query(query);
  }

  /** One page of a contact center's log (or NODE_SCOPE), newest first, for the ops API. */
  async page(ccid: string, q: AuditLogQueryDto): Promise<AuditLogResponse> {
    const to = q.to === undefined ? new Date() : parseTimestamp(q.to);
    if (!to) throw new InvalidParameterException('to', 'not an ISO-8601 timestamp');
    const from = q.from === undefined ? new Date(to.getTime() - DAY_MS) : parseTimestamp(q.from);
    if (!from) throw new InvalidParameterException('from', 'not an ISO-8601 timestamp');
    if (from.getTime() > to.getTime()) throw new InvalidParameterException('from', 'must not be after to');
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw new InvalidParameterException('from', `the window spans at most ${MAX_WINDOW_DAYS} days`);
    const limit = q.limit ?? 100;
    const after = q.pageToken === undefined ? undefined : decodePageToken(q.pageToken);
    // One more than asked tells whether another page exists.
    const found = await this.store.query({ ccid: ccid.toLowerCase(), from, to, actor: q.userName, limit: limit + 1, after });
    const entries = found.slice(0, limit);
    const last = entries[entries.length - 1];
    return {
      statusCode: 0,
      entries: entries.map(viewOf),
      nextPageToken: found.length > limit && last ? encodePageToken({ at: last.at, id: last.id }) : undefined,
    };
  }
}

function viewOf(e: AuditEntry): AuditEntryView {
  return { ...e, at: formatTimestamp(e.at) };
}

/** The cursor is opaque to clients; tampering with it only moves within the caller's own (ops) view. */
function encodePageToken(cursor: { at: string; id: string }): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodePageToken(token: string): { at: string; id: string } {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    if (typeof cursor.at === 'string' && typeof cursor.id === 'string' && !Number.isNaN(Date.parse(cursor.at))) {
      return { at: new Date(cursor.at).toISOString(), id: cursor.id };
    }
  } catch {
    /* fall through */
  }
  throw new InvalidParameterException('pageToken', 'not a page token of this query');
}

function toEntry(event: AuditEvent): AuditEntry {
  const actor = event.actor;
  const actorKind: AuditEntry['actorKind'] = 'roles' in actor ? actor.kind : 'anonymous';
  return {
    id: randomUUID(),
    ccid: (event.ccid ?? actor.ccid ?? NODE_SCOPE).toLowerCase(),
    at: new Date().toISOString(),
    actor: actor.userName,
    actorKind,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    source: event.source,
    outcome: event.outcome,
    detail: event.detail?.slice(0, 500),
  };
}
