import { useState } from 'react';
import { dryRun, listRuns, type RetentionPolicy } from '../../api/ops/retention';
import { ErrorMessage } from '../../components/error-message';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';

/** What a policy would act on now and over the next days (changes nothing), and its past runs. */
export function RetentionDryRun({ ccid, policy }: { ccid: string; policy: RetentionPolicy }) {
  const [days, setDays] = useState(7);
  const [pageToken, setPageToken] = useState<string>();
  const result = useAsync(() => dryRun(ccid, policy.id, days, pageToken), [ccid, policy.id, days, pageToken]);
  const runs = useAsync(() => listRuns(ccid, policy.id), [ccid, policy.id]);
  const r = result.data;
  return (
    <section className="panel" aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Dry run: {policy.name}</h2>
      <div className="field inline">
        <label htmlFor="dry-run-days">Days ahead</label>
        <input id="dry-run-days" type="number" min={0} max={90} value={days} onChange={(e) => { setPageToken(undefined); setDays(Number(e.target.value)); }} />
      </div>
      <ErrorMessage message={result.error} />
      {result.loading && !r ? <p role="status">Counting…</p> : null}
      {r ? (
        <>
          <dl className="ops-facts" data-testid="dry-run-summary">
            <dt>As of</dt>
            <dd>{formatTime(r.asOf)}</dd>
            <dt>{policy.action.type === 'keep' ? 'Protected now' : 'Due now'}</dt>
            <dd>{r.dueNow}</dd>
            <dt>Held by legal hold</dt>
            <dd>{r.heldByLegalHold}</dd>
            <dt>Kept by a keep policy</dt>
            <dd>{r.keptByPolicy}</dd>
            <dt>Due in the next days</dt>
            <dd>{r.upcoming.map((u) => `day ${u.day}: ${u.count}`).join(', ') || '—'}</dd>
          </dl>
          {r.recordings.length > 0 ? (
            <table aria-label="Recordings the policy acts on">
              <thead>
                <tr><th scope="col">Recording</th><th scope="col">Started</th><th scope="col">Due</th><th scope="col">Call type</th><th scope="col">Agents</th></tr>
              </thead>
              <tbody>
                {r.recordings.map((rec) => (
                  <tr key={rec.id}>
                    <th scope="row" className="mono">{rec.id}</th>
                    <td>{formatTime(rec.startTime)}</td>
                    <td>{formatTime(rec.dueAt)}</td>
                    <td>{rec.callType ?? '—'}</td>
                    <td>{rec.agentIds?.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No recording within the horizon.</p>
          )}
          <div className="pager">
            <button type="button" className="secondary" disabled={!pageToken} onClick={() => setPageToken(undefined)}>First page</button>
            <button type="button" className="secondary" disabled={!r.nextPageToken} onClick={() => setPageToken(r.nextPageToken)}>Next page</button>
          </div>
        </>
      ) : null}
      <h3>Runs</h3>
      <ErrorMessage message={runs.error} />
      {runs.data && runs.data.length === 0 ? <p>No run yet.</p> : null}
      {runs.data && runs.data.length > 0 ? (
        <table aria-label="Runs">
          <thead>
            <tr><th scope="col">Started</th><th scope="col">State</th><th scope="col">Deleted</th><th scope="col">Held</th><th scope="col">Kept</th><th scope="col">Finished</th></tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id}>
                <th scope="row">{formatTime(run.startedAt)}</th>
                <td>{run.state}{run.lastError ? ` (${run.lastError})` : ''}</td>
                <td>{run.deleted}</td>
                <td>{run.heldByLegalHold}</td>
                <td>{run.keptByPolicy}</td>
                <td>{formatTime(run.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" className="secondary" onClick={() => { result.reload(); runs.reload(); }}>Refresh</button>
    </section>
  );
}
