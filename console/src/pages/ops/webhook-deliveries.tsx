import { useState } from 'react';
import { listDeliveries, type Webhook } from '../../api/ops/webhooks';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { LoadState } from './ops-kit';

/** One subscription's delivery log, newest first; the dead letters on their own when asked. */
export function WebhookDeliveries({ ccid, webhook }: { ccid: string; webhook: Webhook }) {
  const [state, setState] = useState('');
  const deliveries = useAsync(() => listDeliveries(ccid, webhook.id, state || undefined), [ccid, webhook.id, state]);
  const rows = deliveries.data ?? [];
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
      <LoadState loading={deliveries.loading} error={deliveries.error} empty={rows.length === 0} what="deliveries" />
      {rows.length > 0 ? (
        <table aria-label="Deliveries">
          <thead>
            <tr><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Queued</th><th scope="col">Next attempt</th><th scope="col">Last answer</th></tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.type}</th>
                <td><span className={`badge ${d.state}`}>{d.state}</span></td>
                <td>{d.attempts}</td>
                <td>{formatTime(d.createdAt)}</td>
                <td>{d.state === 'pending' ? formatTime(d.nextAttemptAt) : '—'}</td>
                <td>{d.lastError ?? (d.lastStatus !== undefined ? `HTTP ${d.lastStatus}` : '—')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
