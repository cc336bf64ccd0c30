import { connectedRecorders } from '../../api/ops/recorders';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { ListTable, OpsPage, WithContactCenter } from './ops-kit';

/** Screen recorders connected to RWS (every node of a cluster): who, which build, where, what they last reported. */
export function RecordersPage() {
  return (
    <OpsPage title="Recorders" intro="Screen recorders connected to RWS (in a cluster, to any of its nodes), with the state each last reported.">
      <WithContactCenter>{(ccid) => <RecorderList ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function RecorderList({ ccid }: { ccid: string }) {
  const answer = useAsync(() => connectedRecorders(ccid), [ccid]);
  const recorders = { ...answer, data: answer.data?.recorders };
  const unreachable = answer.data?.unreachableNodes ?? [];
  const clustered = recorders.data?.some((r) => r.node !== undefined) ?? false;
  return (
    <>
      <p>
        <button type="button" className="secondary" onClick={recorders.reload} disabled={recorders.loading}>
          Refresh
        </button>{' '}
        <span role="status">{recorders.data ? `${recorders.data.length} connected` : ''}</span>
      </p>
      {unreachable.length > 0 ? (
        <p role="alert">
          Not answering, so their recorders are missing below: {unreachable.join(', ')}
        </p>
      ) : null}
      <ListTable
        list={recorders}
        what="connected recorders"
        label="Connected recorders"
        columns={['User', 'Agent id', 'Version', 'Platform', 'Host', 'Connected', 'State', 'Pending command', ...(clustered ? ['Node'] : [])]}
        row={(r) => (
          <tr key={r.sessionId}>
            <th scope="row">{r.userName}</th>
            <td>{r.agentId ?? '—'}</td>
            <td>{r.clientVersion}</td>
            <td>{r.platform}</td>
            <td>{r.hostname}</td>
            <td>{formatTime(r.connectedAt)}</td>
            <td>{r.lastStatus ? `${r.lastStatus.state}${r.lastStatus.recordingId ? ` (${r.lastStatus.recordingId})` : ''}` : 'no status yet'}</td>
            <td>{r.pendingCommand ? `${r.pendingCommand.action} × ${r.pendingCommand.attempts}` : '—'}</td>
            {clustered ? <td>{r.node ?? '—'}</td> : null}
          </tr>
        )}
      />
    </>
  );
}
