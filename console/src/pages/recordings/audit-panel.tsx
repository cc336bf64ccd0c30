import { auditTrailOf } from '../../api/audit';
import { ErrorMessage } from '../../components/error-message';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { useMe } from '../../session/session';
import type { Recording } from '../../api/recordings';

/** Who searched, played, labelled, held or deleted this recording, newest first (the audit log is the operators'). */
export function AuditPanel({ recording, ccid, refresh }: { recording: Recording; ccid?: string; refresh: number }) {
  const me = useMe();
  const since = new Date(Date.parse(recording.startTime ?? '') - 3_600_000 || 0).toISOString();
  const trail = useAsync(
    () => (me.kind === 'ops' && ccid ? auditTrailOf(ccid, recording.id, since) : Promise.resolve(undefined)),
    [recording.id, ccid, since, refresh],
  );
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      {me.kind !== 'ops' ? <p className="hint">The audit log is read by operators (the ops account).</p> : null}
      <ErrorMessage message={trail.error} />
      {trail.data ? (
        <table data-testid="audit-trail">
          <caption className="visually-hidden">Audit entries of this recording</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {trail.data.entries.map((e) => (
              <tr key={e.id}>
                <td>{formatTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.outcome}</td>
                <td>{e.source ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {trail.data && !trail.data.complete ? <p className="hint">Only the newest entries were read.</p> : null}
    </section>
  );
}
