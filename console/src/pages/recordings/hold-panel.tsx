import { useState } from 'react';
import { messageOf } from '../../api/api-error';
import { hasPermission } from '../../api/identity';
import { operateOnRecording, type Recording } from '../../api/recordings';
import { ErrorMessage } from '../../components/error-message';
import { useMe } from '../../session/session';

/** Legal hold (non-delete): a held recording and its screen recordings cannot be deleted. */
export function HoldPanel({ recording, ccid, onChanged }: { recording: Recording; ccid?: string; onChanged(): void }) {
  const me = useMe();
  const canHold = hasPermission(me, 'applyNonDelete');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function toggle() {
    setBusy(true);
    setError(undefined);
    try {
      await operateOnRecording(recording.id, recording.nonDelete ? 'removeNonDelete' : 'applyNonDelete', undefined, ccid);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="hold-title">
      <h2 id="hold-title">Legal hold</h2>
      <p role="status" data-testid="hold-state">
        {recording.nonDelete ? 'On hold: this recording and its screen recordings cannot be deleted.' : 'Not on hold.'}
      </p>
      {canHold ? (
        <button type="button" onClick={() => void toggle()} disabled={busy}>
          {recording.nonDelete ? 'Remove hold' : 'Place on hold'}
        </button>
      ) : (
        <p className="hint">Legal hold needs the applyNonDelete permission.</p>
      )}
      <ErrorMessage message={error} />
    </section>
  );
}
