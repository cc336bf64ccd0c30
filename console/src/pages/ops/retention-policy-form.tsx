import { useState, type FormEvent } from 'react';
import { createPolicy, type RetentionMatch } from '../../api/ops/retention';
import { ActionOutcome, listOf } from './ops-kit';
import { useAction } from './use-action';

const EMPTY = { name: '', enabled: false, type: 'delete' as 'delete' | 'keep', afterDays: '90', partitions: '', labels: '', agentIds: '', callTypes: '' };

/** A new policy: what it matches (the common criteria) and what it does. */
export function RetentionPolicyForm({ ccid, onCreated }: { ccid: string; onCreated(): void }) {
  const [form, setForm] = useState(EMPTY);
  const action = useAction();
  const set = (patch: Partial<typeof EMPTY>) => setForm((current) => ({ ...current, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const match: RetentionMatch = {};
    for (const criterion of ['partitions', 'labels', 'agentIds', 'callTypes'] as const) {
      const values = listOf(form[criterion]);
      if (values.length) match[criterion] = values;
    }
    const created = await action.run(
      () =>
        createPolicy(ccid, {
          name: form.name.trim(),
          enabled: form.enabled,
          match,
          // The API names a bad number itself (Parameter 'action.afterDays' is invalid: …).
          action: form.type === 'delete' ? { type: 'delete', afterDays: Number(form.afterDays) } : { type: 'keep' },
        }),
      `${form.name.trim()} was created.`,
      onCreated,
    );
    if (created) setForm(EMPTY);
  }

  return (
    <form className="panel ops-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-policy-title">
      <h2 id="new-policy-title">New retention policy</h2>
      <div className="fields">
        <div className="field">
          <label htmlFor="policy-name">Name</label>
          <input id="policy-name" required value={form.name} onChange={(e) => set({ name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="policy-action">Action</label>
          <select id="policy-action" value={form.type} onChange={(e) => set({ type: e.target.value as 'delete' | 'keep' })}>
            <option value="delete">delete after</option>
            <option value="keep">keep (protect)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="policy-days">Days after the call's start</label>
          <input id="policy-days" type="number" min={0} disabled={form.type === 'keep'} value={form.afterDays} onChange={(e) => set({ afterDays: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="policy-partitions">Partitions</label>
          <input id="policy-partitions" placeholder="/sales" value={form.partitions} onChange={(e) => set({ partitions: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="policy-labels">Labels</label>
          <input id="policy-labels" value={form.labels} onChange={(e) => set({ labels: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="policy-agents">Agent ids</label>
          <input id="policy-agents" value={form.agentIds} onChange={(e) => set({ agentIds: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="policy-call-types">Call types</label>
          <input id="policy-call-types" placeholder="Inbound, Outbound" value={form.callTypes} onChange={(e) => set({ callTypes: e.target.value })} />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled (the scheduler applies it; try a dry run first)
      </label>
      <ActionOutcome action={action} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Create policy
        </button>
      </div>
    </form>
  );
}
