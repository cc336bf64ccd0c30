import { readiness, serviceVersion } from '../../api/ops/health';
import { ErrorMessage } from '../../components/error-message';
import { useAsync } from '../../components/use-async';
import { OpsPage } from './ops-kit';

/** Every dependency's state as this node sees it (`/health/ready`), and the service version. */
export function HealthPage() {
  const ready = useAsync(readiness, []);
  const version = useAsync(serviceVersion, []);
  const dependencies = Object.entries(ready.data?.dependencies ?? {});
  return (
    <OpsPage title="Health" intro="The readiness of this RWS node and of each dependency it uses (GET /health/ready).">
      <dl className="ops-facts">
        <dt>Node</dt>
        <dd data-testid="readiness">{ready.data ? (ready.data.ready ? 'Ready' : 'Not ready') : ready.loading ? 'Checking…' : '—'}</dd>
        <dt>Version</dt>
        <dd data-testid="service-version">{version.data ?? (version.loading ? '…' : '—')}</dd>
      </dl>
      <ErrorMessage message={ready.error ?? version.error} />
      <table aria-label="Dependencies">
        <thead>
          <tr>
            <th scope="col">Dependency</th>
            <th scope="col">State</th>
            <th scope="col">Latency</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {dependencies.map(([name, state]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>
                <span className={`badge ${state.status}`}>{state.status === 'up' ? 'Up' : 'Down'}</span>
              </td>
              <td>{state.latencyMs} ms</td>
              <td>{state.error ?? state.warning ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" className="secondary" onClick={() => { ready.reload(); version.reload(); }} disabled={ready.loading}>
          Check again
        </button>
      </p>
    </OpsPage>
  );
}
