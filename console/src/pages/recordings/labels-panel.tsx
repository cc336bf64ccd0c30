import { useState, type FormEvent } from 'react';
import { messageOf } from '../../api/api-error';
import { hasPermission } from '../../api/identity';
import { labelDefinitions, operateOnRecording, type Recording } from '../../api/recordings';
import { ErrorMessage } from '../../components/error-message';
import { useAsync } from '../../components/use-async';
import { useMe } from '../../session/session';

/** The recording's labels; holders of `manageLabels` add (from the defined labels) and remove them. */
export function LabelsPanel({ recording, ccid, onChanged }: { recording: Recording; ccid?: string; onChanged(): void }) {
  const me = useMe();
  const canManage = hasPermission(me, 'manageLabels');
  const definitions = useAsync(() => (canManage ? labelDefinitions(ccid) : Promise.resolve([])), [canManage, ccid]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const available = (definitions.data ?? []).filter((name) => !recording.labels.includes(name));

  async function run(operation: 'addLabel' | 'removeLabel', label: string) {
    setBusy(true);
    setError(undefined);
    try {
      await operateOnRecording(recording.id, operation, label, ccid);
      setChoice('');
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function add(event: FormEvent) {
    event.preventDefault();
    const label = choice || available[0];
    if (label) void run('addLabel', label);
  }

  return (
    <section className="panel" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <ul className="labels" data-testid="labels">
        {recording.labels.length === 0 ? <li className="hint">No labels.</li> : null}
        {recording.labels.map((label) => (
          <li key={label} className="label-chip">
            {label}
            {canManage ? (
              <button type="button" className="secondary small" aria-label={`Remove label ${label}`} disabled={busy} onClick={() => void run('removeLabel', label)}>
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        <form onSubmit={add} className="inline-form">
          <label htmlFor="new-label">Add label</label>
          <select id="new-label" value={choice} onChange={(e) => setChoice(e.target.value)} disabled={available.length === 0}>
            {available.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
          <button type="submit" disabled={busy || available.length === 0}>
            Add
          </button>
        </form>
      ) : (
        <p className="hint">Changing labels needs the manageLabels permission.</p>
      )}
      <ErrorMessage message={error ?? definitions.error} />
    </section>
  );
}
