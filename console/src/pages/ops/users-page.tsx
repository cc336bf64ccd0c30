import { useState } from 'react';
import { changeRoles, deleteUser, listUsers, ROLES, type User } from '../../api/ops/users';
import { useAsync } from '../../components/use-async';
import { ActionOutcome, ListTable, OpsPage, WithContactCenter } from './ops-kit';
import { useAction } from './use-action';
import { UserCreateForm } from './user-create-form';

/** A contact center's users and service accounts: create, change role, delete. */
export function UsersPage() {
  return (
    <OpsPage title="Users and roles">
      <WithContactCenter>{(ccid) => <UsersOf ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function UsersOf({ ccid }: { ccid: string }) {
  const users = useAsync(() => listUsers(ccid), [ccid]);
  const action = useAction();
  return (
    <>
      <UserCreateForm ccid={ccid} onCreated={users.reload} />
      <h2>Users</h2>
      <ActionOutcome action={action} />
      <ListTable list={users} what="users" label="Users" columns={['User name', 'Kind', 'Role', 'Agent id', 'Access groups', 'Permissions', 'Actions']} row={(user) => <UserRow key={user.userName} ccid={ccid} user={user} busy={action.busy} run={action.run} reload={users.reload} />} />
    </>
  );
}

interface RowProps {
  ccid: string;
  user: User;
  busy: boolean;
  run: ReturnType<typeof useAction>['run'];
  reload(): void;
}

function UserRow({ ccid, user, busy, run, reload }: RowProps) {
  const [confirming, setConfirming] = useState(false);
  return (
    <tr>
      <th scope="row">{user.userName}</th>
      <td>{user.kind}</td>
      <td>
        {user.kind === 'user' ? <RoleChoice key={user.roles.join()} user={user} busy={busy} save={(role) => void run(() => changeRoles(ccid, user, role ? [role] : []), `${user.userName} is now ${role || 'without a role'}.`, reload)} /> : '—'}
      </td>
      <td>{user.agentId ?? '—'}</td>
      <td>{user.accessGroups.join(', ') || '—'}</td>
      <td>{user.permissions.join(', ') || '—'}</td>
      <td>
        {confirming ? (
          <>
            <button type="button" className="danger" autoFocus disabled={busy} onClick={() => void run(() => deleteUser(ccid, user.userName), `${user.userName} was deleted.`, reload)}>
              Confirm delete of {user.userName}
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="secondary" aria-label={`Delete ${user.userName}`} onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * A role is chosen, then saved: a select fires a change on every arrow key, and a keyboard user walking the
 * options must not send a PUT for each one.
 */
function RoleChoice({ user, busy, save }: { user: User; busy: boolean; save(role: string): void }) {
  const current = user.roles[0] ?? '';
  const [role, setRole] = useState(current);
  return (
    <span className="row-actions">
      <select aria-label={`Role of ${user.userName}`} value={role} disabled={busy} onChange={(e) => setRole(e.target.value)}>
        <option value="">none</option>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {role !== current ? (
        <button type="button" disabled={busy} aria-label={`Save role of ${user.userName}`} onClick={() => save(role)}>
          Save
        </button>
      ) : null}
    </span>
  );
}
