import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { getRecording, type Recording } from '../../api/recordings';
import { ErrorMessage } from '../../components/error-message';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { usePageTitle } from '../../shell/page-title';
import { AuditPanel } from './audit-panel';
import { DownloadsPanel } from './downloads-panel';
import { HoldPanel } from './hold-panel';
import { LabelsPanel } from './labels-panel';
import { Player } from './player';
import { buildTimeline } from './timeline';

/** One recording: its call, voice and screen on one timeline, labels, legal hold, downloads and audit trail. */
export function RecordingPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const ccid = params.get('ccid') ?? undefined;
  usePageTitle(`Recording ${id}`);
  const recording = useAsync(() => getRecording(id, ccid), [id, ccid]);
  const [changes, setChanges] = useState(0);
  const changed = () => {
    setChanges((n) => n + 1);
    recording.reload();
  };
  return (
    <section aria-labelledby="page-title" className="recording-page">
      <p>
        <Link to="/recordings" onClick={(e) => backToResults(e)}>
          ← Back to results
        </Link>
      </p>
      <h1 id="page-title">Recording {id}</h1>
      <ErrorMessage message={recording.error} />
      {recording.loading && !recording.data ? <p role="status">Loading…</p> : null}
      {recording.data ? <RecordingView recording={recording.data} ccid={ccid} changes={changes} onChanged={changed} /> : null}
    </section>
  );
}

/** Back to the search that led here (its filters live in that URL); a page opened directly goes to the search. */
function backToResults(event: React.MouseEvent): void {
  const index = (window.history.state as { idx?: number } | null)?.idx ?? 0;
  if (index > 0) {
    event.preventDefault();
    window.history.back();
  }
}

function RecordingView({ recording, ccid, changes, onChanged }: { recording: Recording; ccid?: string; changes: number; onChanged(): void }) {
  // The timeline depends on the media only: a label or hold change must not restart playback.
  const mediaKey = JSON.stringify([recording.mediaFiles, recording.screenRecordings]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const timeline = useMemo(() => buildTimeline(recording, ccid), [mediaKey, ccid]);
  return (
    <div className="recording-layout">
      <div className="recording-main">
        <Player timeline={timeline} />
        <CallFacts recording={recording} />
      </div>
      <div className="recording-side">
        <LabelsPanel recording={recording} ccid={ccid} onChanged={onChanged} />
        <HoldPanel recording={recording} ccid={ccid} onChanged={onChanged} />
        <DownloadsPanel timeline={timeline} />
      </div>
      <div className="recording-wide">
        <AuditPanel recording={recording} ccid={ccid} refresh={changes} />
      </div>
    </div>
  );
}

function CallFacts({ recording }: { recording: Recording }) {
  const agents = [...new Set(recording.mediaFiles.map((m) => m.parameters?.agentId).filter((a): a is string => typeof a === 'string'))];
  const facts: [string, string][] = [
    ['Started', formatTime(recording.startTime)],
    ['Stopped', formatTime(recording.stopTime)],
    ['Caller', recording.callerPhoneNumber || '—'],
    ['Dialed', recording.dialedPhoneNumber || '—'],
    ['Call type', recording.callType ?? '—'],
    ['Agent', agents.join(', ') || '—'],
    ['Partitions', recording.partitions?.join(', ') || '—'],
    ['Voice files', String(recording.mediaFiles.length)],
    ['Screen recordings', String(recording.screenRecordings.length)],
  ];
  return (
    <section className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">Call</h2>
      <dl className="facts">
        {facts.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
