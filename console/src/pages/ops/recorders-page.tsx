import { connectedRecorders } from '../../api/ops/recorders';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { LoadState, OpsPage, WithContactCenter } from './ops-kit';

/** Screen recorders connected to this node: who, which build, what they last reported. */
export function RecordersPage() {
  return (
    <OpsPage title="Recorders" intro="Screen recorders connected to this RWS node, with the state each last reported.">
      <WithContactCenter>{(ccid) => <RecorderList ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function RecorderList({ ccid }: { ccid: string }) {
  const recorders = useAsync(() => connectedRecorders(ccid), [ccid]);
  const rows = recorders.data ?? [];
  return (
    <>
      <p>
        <button type="button" className="secondary" onClick={recorders.reload} disabled={recorders.loading}>
          Refresh
        </button>{' '}
        <span role="status">{recorders.data ? `${rows.length} connected` : ''}</span>
      </p>
      <LoadState loading={recorders.loading} error={recorders.error} empty={rows.length === 0} what="connected recorders" />
      {rows.length > 0 ? (
        <table aria-label="Connected recorders">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Agent id</th>
              <th scope="col">Version</th>
              <th scope="col">Platform</th>
              <th scope="col">Host</th>
              <th scope="col">Connected</th>
              <th scope="col">State</th>
              <th scope="col">Pending command</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.sessionId}>
                <th scope="row">{r.userName}</th>
                <td>{r.agentId ?? '—'}</td>
                <td>{r.clientVersion}</td>
                <td>{r.platform}</td>
                <td>{r.hostname}</td>
                <td>{formatTime(r.connectedAt)}</td>
                <td>{r.lastStatus ? `${r.lastStatus.state}${r.lastStatus.recordingId ? ` (${r.lastStatus.recordingId})` : ''}` : 'no status yet'}</td>
                <td>{r.pendingCommand ? `${r.pendingCommand.action} × ${r.pendingCommand.attempts}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
