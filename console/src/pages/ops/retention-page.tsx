import { useState } from 'react';
import { deletePolicy, listPolicies, requestRun, type RetentionPolicy } from '../../api/ops/retention';
import { useAsync } from '../../components/use-async';
import { ActionButton, ActionOutcome, ListTable, OpsPage, WithContactCenter } from './ops-kit';
import { RetentionDryRun } from './retention-dry-run';
import { RetentionPolicyForm } from './retention-policy-form';
import { useAction } from './use-action';

/** Retention policies of a contact center, their dry runs and runs (docs/lifecycle.md). */
export function RetentionPage() {
  return (
    <OpsPage title="Retention" intro="Legal hold always wins: a recording under hold is never deleted. A dry run changes nothing.">
      <WithContactCenter>{(ccid) => <PoliciesOf ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

/** `delete after 90 days` / `keep`, and what it matches. */
function describe(policy: RetentionPolicy): { action: string; match: string } {
  const action = policy.action.type === 'delete' ? `delete after ${policy.action.afterDays} days` : 'keep';
  const criteria = Object.entries(policy.match)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return { action, match: criteria.join('; ') || 'every recording' };
}

function PoliciesOf({ ccid }: { ccid: string }) {
  const policies = useAsync(() => listPolicies(ccid), [ccid]);
  const action = useAction();
  const [selected, setSelected] = useState<RetentionPolicy>();
  return (
    <>
      <RetentionPolicyForm ccid={ccid} onCreated={policies.reload} />
      <h2>Policies</h2>
      <ActionOutcome action={action} />
      <ListTable
        list={policies}
        what="retention policies"
        label="Retention policies"
        columns={['Name', 'Enabled', 'Action', 'Matches', 'Actions']}
        row={(policy) => {
          const { action: what, match } = describe(policy);
          return (
            <tr key={policy.id} aria-selected={selected?.id === policy.id}>
              <th scope="row">{policy.name}</th>
              <td>{policy.enabled ? 'yes' : 'no'}</td>
              <td>{what}</td>
              <td>{match}</td>
              <td className="row-actions">
                <button type="button" aria-label={`Dry run of ${policy.name}`} onClick={() => setSelected(policy)}>
                  Dry run
                </button>
                <ActionButton action={action} label={`Run ${policy.name} now`} change={() => requestRun(ccid, policy.id)} notice={`A run of ${policy.name} was requested.`}>
                  Run now
                </ActionButton>
                <ActionButton
                  action={action}
                  label={`Delete ${policy.name}`}
                  change={() => deletePolicy(ccid, policy.id)}
                  notice={`${policy.name} was deleted.`}
                  after={() => { setSelected(undefined); policies.reload(); }}
                >
                  Delete
                </ActionButton>
              </td>
            </tr>
          );
        }}
      />
      {selected ? <RetentionDryRun key={selected.id} ccid={ccid} policy={selected} /> : null}
    </>
  );
}
