import { useEffect, useRef } from 'react';
import { listContactCenters } from '../api/contact-centers';
import { ErrorMessage } from './error-message';
import { useAsync } from './use-async';

/** For the ops account, which sees every contact center: picks the one a page works on (first by default). */
export function ContactCenterPicker({ value, onChange }: { value?: string; onChange(ccid: string): void }) {
  const centers = useAsync(listContactCenters, []);
  const first = centers.data?.[0]?.id;
  // The default is chosen once per (value, first): a parent's fresh callback must not choose it again while
  // the navigation that carries it is still pending (router updates are transitions).
  const latestOnChange = useRef(onChange);
  useEffect(() => {
    latestOnChange.current = onChange;
  });
  useEffect(() => {
    if (!value && first) latestOnChange.current(first);
  }, [value, first]);
  return (
    <div className="field inline">
      <label htmlFor="ccid">Contact center</label>
      <select id="ccid" value={value ?? ''} onChange={(e) => onChange(e.target.value)} disabled={!centers.data}>
        {(centers.data ?? []).map((cc) => (
          <option key={cc.id} value={cc.id}>
            {cc.name}
          </option>
        ))}
      </select>
      <ErrorMessage message={centers.error} />
    </div>
  );
}
