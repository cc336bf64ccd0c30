import { api } from './client';

/** One audit entry (ops API), as `GET …/audit-log` answers it. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorKind: string;
  action: string;
  objectType?: string;
  objectId?: string;
  source?: string;
  outcome: string;
  detail?: string;
}

interface AuditPage {
  entries: AuditEntry[];
  nextPageToken?: string;
}

/**
 * A recording's entries: the API filters the contact center's log by time and actor only, so the pages since
 * the recording began are read (newest first) and kept where the object is this recording. Reading stops
 * after `maxPages`, and says so.
 */
export async function auditTrailOf(ccid: string, recordingId: string, since: string, maxPages = 5): Promise<{ entries: AuditEntry[]; complete: boolean }> {
  const entries: AuditEntry[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await api.get<AuditPage>(`/api/v2/ops/contact-centers/${encodeURIComponent(ccid)}/audit-log`, {
      from: since,
      to: new Date(Date.now() + 60_000).toISOString(),
      limit: 1000,
      pageToken,
    });
    entries.push(...answer.entries.filter((e) => e.objectId === recordingId));
    pageToken = answer.nextPageToken;
    if (!pageToken) return { entries, complete: true };
  }
  return { entries, complete: false };
}
