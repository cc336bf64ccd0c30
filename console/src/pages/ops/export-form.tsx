import { useState, type FormEvent } from 'react';
import { createExport, type NewExport } from '../../api/ops/exports';
import { ActionOutcome } from './ops-kit';
import { useAction } from './use-action';

/** The search filters an export may select by (those of `GET /api/v2/recordings`). */
const FILTERS = [
  { name: 'partition', label: 'Partition' },
  { name: 'agentId', label: 'Agent id' },
  { name: 'label', label: 'Label' },
  { name: 'startTime', label: 'Started from (ISO 8601)' },
  { name: 'endTime', label: 'Started until (ISO 8601)' },
] as const;

const EMPTY = { filters: {} as Record<string, string>, target: 'archive' as 'archive' | 'webdav', url: '', username: '', password: '', media: 'stored' as 'stored' | 'decrypted', verify: false };

/** A new export job: which recordings (search filters), where to (archive or WebDAV), stored or decrypted. */
export function ExportForm({ ccid, onCreated }: { ccid: string; onCreated(): void }) {
  const [form, setForm] = useState(EMPTY);
  const action = useAction();
  const set = (patch: Partial<typeof EMPTY>) => setForm((current) => ({ ...current, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const filters = Object.fromEntries(Object.entries(form.filters).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
    const job: NewExport = {
      filters,
      target: form.target === 'archive' ? { type: 'archive', format: 'tar' } : { type: 'webdav', url: form.url.trim(), username: form.username || undefined, password: form.password || undefined },
      media: form.media,
      verify: form.verify,
    };
    if (await action.run(() => createExport(ccid, job), 'The export job was created.', onCreated)) setForm(EMPTY);
  }

  return (
    <form className="panel ops-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-export-title">
      <h2 id="new-export-title">New export</h2>
      <div className="fields">
        {FILTERS.map((f) => (
          <div className="field" key={f.name}>
            <label htmlFor={`export-${f.name}`}>{f.label}</label>
            <input id={`export-${f.name}`} value={form.filters[f.name] ?? ''} onChange={(e) => set({ filters: { ...form.filters, [f.name]: e.target.value } })} />
          </div>
        ))}
        <div className="field">
          <label htmlFor="export-target">Target</label>
          <select id="export-target" value={form.target} onChange={(e) => set({ target: e.target.value as 'archive' | 'webdav' })}>
            <option value="archive">tar archive (download)</option>
            <option value="webdav">WebDAV folder</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-media">Media</label>
          <select id="export-media" value={form.media} onChange={(e) => set({ media: e.target.value as 'stored' | 'decrypted' })}>
            <option value="stored">as stored (encrypted stays encrypted)</option>
            <option value="decrypted">decrypted</option>
          </select>
        </div>
        {form.target === 'webdav' ? (
          <>
            <div className="field">
              <label htmlFor="export-url">Folder URL</label>
              <input id="export-url" type="url" required value={form.url} onChange={(e) => set({ url: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="export-username">WebDAV user</label>
              <input id="export-username" value={form.username} onChange={(e) => set({ username: e.target.value })} autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor="export-password">WebDAV password</label>
              <input id="export-password" type="password" value={form.password} onChange={(e) => set({ password: e.target.value })} autoComplete="off" />
            </div>
          </>
        ) : null}
      </div>
      <label className="check">
        <input type="checkbox" checked={form.verify} onChange={(e) => set({ verify: e.target.checked })} /> Read every object back and compare its SHA-256
      </label>
      <ActionOutcome action={action} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Create export
        </button>
      </div>
    </form>
  );
}
