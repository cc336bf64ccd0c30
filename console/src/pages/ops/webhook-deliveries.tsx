import { useState } from 'react';
import { listDeliveries, type Webhook } from '../../api/ops/webhooks';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { ListTable } from './ops-kit';

/** One subscription's delivery log, newest first; the dead letters on their own when asked. */
export function WebhookDeliveries({ ccid, webhook }: { ccid: string; webhook: Webhook }) {
  const [state, setState] = useState('');
  const deliveries = useAsync(() => listDeliveries(ccid, webhook.id, state || undefined), [ccid, webhook.id, state]);
  return (
    <section className="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries to {webhook.url}</h2>
      <div className="field inline">
        <label htmlFor="delivery-state">State</label>
        <select id="delivery-state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">all</option>
          <option value="pending">pending</option>
          <option value="delivered">delivered</option>
          <option value="dead">dead letters</option>
        </select>
        <button type="button" className="secondary" onClick={deliveries.reload}>Refresh</button>
      </div>
      <ListTable
        list={deliveries}
        what="deliveries"
        label="Deliveries"
        columns={['Event', 'State', 'Attempts', 'Queued', 'Next attempt', 'Last answer']}
        row={(d) => (
          <tr key={d.id}>
            <th scope="row">{d.type}</th>
            <td><span className={`badge ${d.state}`}>{d.state}</span></td>
            <td>{d.attempts}</td>
            <td>{formatTime(d.createdAt)}</td>
            <td>{d.state === 'pending' ? formatTime(d.nextAttemptAt) : '—'}</td>
            <td>{d.lastError ?? (d.lastStatus !== undefined ? `HTTP ${d.lastStatus}` : '—')}</td>
          </tr>
        )}
      />
    </section>
  );
}
