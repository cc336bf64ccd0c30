import { useState, type FormEvent } from 'react';
import { listContactCenters, type ContactCenter } from '../../api/contact-centers';
import { createContactCenter, enableFeatures, KNOWN_FEATURES } from '../../api/ops/contact-centers';
import { useAsync } from '../../components/use-async';
import { ActionButton, ActionOutcome, ListTable, OpsPage } from './ops-kit';
import { useAction, type Action } from './use-action';

/** Every contact center and its features; new ones, and features switched on. */
export function ContactCentersPage() {
  const centers = useAsync(listContactCenters, []);
  const action = useAction();
  return (
    <OpsPage title="Contact centers" intro="Features can be enabled here; the API has no way to disable one.">
      <NewContactCenterForm onCreated={centers.reload} />
      <h2>Contact centers</h2>
      <ActionOutcome action={action} />
      <ListTable list={centers} what="contact centers" label="Contact centers" columns={['Name', 'Id', 'Features', 'Enable']} row={(cc) => <ContactCenterRow key={cc.id} cc={cc} action={action} reload={centers.reload} />} />
    </OpsPage>
  );
}

function ContactCenterRow({ cc, action, reload }: { cc: ContactCenter; action: Action; reload(): void }) {
  const missing = KNOWN_FEATURES.filter((f) => !cc.features?.includes(f));
  return (
    <tr>
      <th scope="row">{cc.name}</th>
      <td className="mono">{cc.id}</td>
      <td>{cc.features?.length ? cc.features.join(', ') : 'none'}</td>
      <td>
        {missing.map((feature) => (
          <ActionButton
            key={feature}
            action={action}
            label={`Enable ${feature} for ${cc.name}`}
            change={() => enableFeatures(cc.id, [feature])}
            notice={`${feature} is enabled for ${cc.name}.`}
            after={reload}
          >
            {feature.replace('/api/api-', '')}
          </ActionButton>
        ))}
      </td>
    </tr>
  );
}

function NewContactCenterForm({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [features, setFeatures] = useState<string[]>([...KNOWN_FEATURES]);
  const action = useAction();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await action.run(() => createContactCenter(name.trim(), features), `${name.trim()} was created.`, onCreated)) setName('');
  }
  return (
    <form className="panel ops-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-cc-title">
      <h2 id="new-cc-title">New contact center</h2>
      <div className="field">
        <label htmlFor="new-cc-name">Name</label>
        <input id="new-cc-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset className="checks">
        <legend>Features</legend>
        {KNOWN_FEATURES.map((feature) => (
          <label key={feature}>
            <input type="checkbox" checked={features.includes(feature)} onChange={(e) => setFeatures(e.target.checked ? [...features, feature] : features.filter((f) => f !== feature))} /> {feature}
          </label>
        ))}
      </fieldset>
      <ActionOutcome action={action} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Create contact center
        </button>
      </div>
    </form>
  );
}
