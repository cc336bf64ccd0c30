import { Link } from 'react-router';
import type { Recording, SearchPage } from '../../api/recordings';
import { formatDuration, formatTime, spanSeconds } from '../../components/format';

interface Props {
  page: SearchPage;
  ccid?: string;
  canGoBack: boolean;
  onNext(): void;
  onPrevious(): void;
}

/** One page of results as a table, with links to each recording and the paging buttons. */
export function SearchResults({ page, ccid, canGoBack, onNext, onPrevious }: Props) {
  return (
    <div className="results">
      <p role="status" aria-live="polite">
        {page.recordings.length === 0 ? 'No recordings match.' : `${page.recordings.length} recording(s) on this page.`}
      </p>
      {page.recordings.length > 0 ? (
        <table>
          <caption className="visually-hidden">Recordings found</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Length</th>
              <th scope="col">Caller</th>
              <th scope="col">Dialed</th>
              <th scope="col">Agent</th>
              <th scope="col">Type</th>
              <th scope="col">Screen</th>
              <th scope="col">Labels</th>
              <th scope="col">Hold</th>
            </tr>
          </thead>
          <tbody>
            {page.recordings.map((recording) => (
              <ResultRow key={recording.id} recording={recording} ccid={ccid} />
            ))}
          </tbody>
        </table>
      ) : null}
      <nav className="pager" aria-label="Result pages">
        <button type="button" onClick={onPrevious} disabled={!canGoBack}>
          Previous page
        </button>
        <button type="button" onClick={onNext} disabled={!page.nextPageToken}>
          Next page
        </button>
      </nav>
    </div>
  );
}

function ResultRow({ recording, ccid }: { recording: Recording; ccid?: string }) {
  const length = spanSeconds(recording.startTime, recording.stopTime);
  const agents = [...new Set(recording.mediaFiles.map((m) => m.parameters?.agentId).filter((a): a is string => typeof a === 'string'))];
  const to = `/recordings/${encodeURIComponent(recording.id)}${ccid ? `?ccid=${encodeURIComponent(ccid)}` : ''}`;
  return (
    <tr>
      <td>
        <Link to={to} aria-label={`Recording ${recording.id} of ${formatTime(recording.startTime)}`}>
          {formatTime(recording.startTime)}
        </Link>
      </td>
      <td>{length === undefined ? '—' : formatDuration(length)}</td>
      <td>{recording.callerPhoneNumber || '—'}</td>
      <td>{recording.dialedPhoneNumber || '—'}</td>
      <td>{agents.join(', ') || '—'}</td>
      <td>{recording.callType ?? '—'}</td>
      <td>{recording.screenRecordings?.length ? `${recording.screenRecordings.length}` : '—'}</td>
      <td>{recording.labels?.join(', ') || '—'}</td>
      <td>{recording.nonDelete ? 'Held' : ''}</td>
    </tr>
  );
}
