import { useEffect, useState } from 'react';
import { archiveUrl, cancelExport, exportFailures, listExports, resumeExport, type ExportJob } from '../../api/ops/exports';
import { ErrorMessage } from '../../components/error-message';
import { formatDuration, formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { ExportForm } from './export-form';
import { ActionButton, ActionOutcome, ListTable, OpsPage, WithContactCenter } from './ops-kit';
import { useAction, type Action } from './use-action';

/** How often the list is read again while a job is queued or running. */
const PROGRESS_REFRESH_MS = 2000;

/** Export jobs of a contact center with their progress (docs/lifecycle.md, Export jobs). */
export function ExportsPage() {
  return (
    <OpsPage title="Exports" intro="Copies of recordings to a WebDAV folder (in the background) or as a tar archive to download.">
      <WithContactCenter>{(ccid) => <ExportsOf ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function ExportsOf({ ccid }: { ccid: string }) {
  const jobs = useAsync(() => listExports(ccid), [ccid]);
  const action = useAction();
  const [failuresOf, setFailuresOf] = useState<string>();
  const active = (jobs.data ?? []).some((job) => job.state === 'queued' || job.state === 'running');
  const { reload } = jobs;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(reload, PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, reload]);
  return (
    <>
      <ExportForm ccid={ccid} onCreated={jobs.reload} />
      <h2>Jobs</h2>
      <ActionOutcome action={action} />
      <ListTable list={jobs} what="export jobs" label="Export jobs" columns={['Created', 'Selection', 'Target', 'State', 'Progress', 'Actions']} row={(job) => <ExportRow key={job.id} ccid={ccid} job={job} action={action} reload={jobs.reload} showFailures={() => setFailuresOf(job.id)} />} />
      {failuresOf ? <ExportFailures key={failuresOf} ccid={ccid} id={failuresOf} /> : null}
    </>
  );
}

function ExportRow({ ccid, job, action, reload, showFailures }: { ccid: string; job: ExportJob; action: Action; reload(): void; showFailures(): void }) {
  const p = job.progress;
  const done = p.exported + p.failed;
  const selection = job.selection.policyId ? `policy ${job.selection.policyId}` : Object.entries(job.selection.filters ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return (
    <tr data-testid={`export-${job.id}`}>
      <th scope="row">{formatTime(job.createdAt)}</th>
      <td>{selection}</td>
      <td>{job.target.type === 'webdav' ? job.target.url : 'tar archive'} ({job.media}{job.verify ? ', verified' : ''})</td>
      <td>
        <span className={`badge ${job.state}`}>{job.state}</span>
        {job.lastError ? <div className="hint">{job.lastError}</div> : null}
      </td>
      <td>
        {p.total !== null ? <progress max={Math.max(p.total, 1)} value={done} aria-label={`Progress of the export created ${formatTime(job.createdAt)}`} /> : null}
        <div className="hint">
          {p.exported} exported, {p.failed} failed{p.total !== null ? ` of ${p.total}` : ''}; {(p.bytes / 1e6).toFixed(1)} MB
          {p.etaSeconds !== null ? `; about ${formatDuration(p.etaSeconds)} left` : ''}
        </div>
      </td>
      <td className="row-actions">
        {job.target.type === 'archive' && job.state === 'ready' ? (
          <a className="button-link" href={archiveUrl(ccid, job.id)} download>
            Download archive
          </a>
        ) : null}
        {(job.state === 'queued' || job.state === 'running') && !job.cancelRequested ? (
          <ActionButton action={action} change={() => cancelExport(ccid, job.id)} notice="The export is being cancelled." after={reload}>
            Cancel
          </ActionButton>
        ) : null}
        {job.state === 'cancelled' && job.target.type === 'webdav' ? (
          <ActionButton action={action} change={() => resumeExport(ccid, job.id)} notice="The export was queued again." after={reload}>
            Resume
          </ActionButton>
        ) : null}
        {p.failed > 0 ? (
          <button type="button" className="secondary" onClick={showFailures}>
            Failures
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function ExportFailures({ ccid, id }: { ccid: string; id: string }) {
  const failures = useAsync(() => exportFailures(ccid, id), [ccid, id]);
  return (
    <section className="panel" aria-labelledby="failures-title">
      <h2 id="failures-title">Recordings not exported</h2>
      <ErrorMessage message={failures.error} />
      <ul>
        {(failures.data ?? []).map((f) => (
          <li key={f.recordingId}>
            <span className="mono">{f.recordingId}</span>: {f.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
