import { useState, type FormEvent } from 'react';
import { createUser, PERMISSIONS, ROLES } from '../../api/ops/users';
import { ActionOutcome, listOf } from './ops-kit';
import { useAction } from './use-action';

const EMPTY = { userName: '', password: '', kind: 'user' as 'user' | 'service', role: 'agent', agentId: '', agentHierarchy: '', accessGroups: '', permissions: [] as string[] };

/** A new user or service account of the contact center. */
export function UserCreateForm({ ccid, onCreated }: { ccid: string; onCreated(): void }) {
  const [form, setForm] = useState(EMPTY);
  const action = useAction();
  const set = (patch: Partial<typeof EMPTY>) => setForm((current) => ({ ...current, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const created = await action.run(
      () =>
        createUser(ccid, {
          userName: form.userName.trim(),
          password: form.password,
          kind: form.kind,
          roles: form.kind === 'user' && form.role ? [form.role] : [],
          agentId: form.agentId.trim() || undefined,
          agentHierarchy: form.agentHierarchy.trim() || undefined,
          accessGroups: listOf(form.accessGroups),
          permissions: form.permissions,
          recordingWhen: 'voice',
        }),
      `${form.userName.trim()} was created.`,
      onCreated,
    );
    if (created) setForm(EMPTY);
  }

  const togglePermission = (permission: string, on: boolean) =>
    set({ permissions: on ? [...form.permissions, permission] : form.permissions.filter((p) => p !== permission) });

  return (
    <form className="panel ops-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-user-title">
      <h2 id="new-user-title">New user</h2>
      <div className="fields">
        <div className="field">
          <label htmlFor="new-user-name">User name</label>
          <input id="new-user-name" required value={form.userName} onChange={(e) => set({ userName: e.target.value })} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="new-user-password">Password</label>
          <input id="new-user-password" type="password" required minLength={8} value={form.password} onChange={(e) => set({ password: e.target.value })} autoComplete="new-password" />
        </div>
        <div className="field">
          <label htmlFor="new-user-kind">Kind</label>
          <select id="new-user-kind" value={form.kind} onChange={(e) => set({ kind: e.target.value as 'user' | 'service' })}>
            <option value="user">user</option>
            <option value="service">service account</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" value={form.role} disabled={form.kind === 'service'} onChange={(e) => set({ role: e.target.value })}>
            <option value="">none</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-user-agent-id">Agent id</label>
          <input id="new-user-agent-id" value={form.agentId} onChange={(e) => set({ agentId: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="new-user-hierarchy">Agent hierarchy</label>
          <input id="new-user-hierarchy" placeholder="/EMEA/Sales/alice" value={form.agentHierarchy} onChange={(e) => set({ agentHierarchy: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="new-user-groups">Access groups</label>
          <input id="new-user-groups" placeholder="/EMEA/Sales, /sales" value={form.accessGroups} onChange={(e) => set({ accessGroups: e.target.value })} />
        </div>
      </div>
      <fieldset className="checks">
        <legend>Permissions</legend>
        {PERMISSIONS.map((permission) => (
          <label key={permission}>
            <input type="checkbox" checked={form.permissions.includes(permission)} onChange={(e) => togglePermission(permission, e.target.checked)} /> {permission}
          </label>
        ))}
      </fieldset>
      <ActionOutcome action={action} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Create user
        </button>
      </div>
    </form>
  );
}
