import { useState, type FormEvent } from 'react';
import { createWebhook, deleteWebhook, listWebhooks, WEBHOOK_EVENTS, type Webhook } from '../../api/ops/webhooks';
import { formatTime } from '../../components/format';
import { useAsync } from '../../components/use-async';
import { ActionButton, ActionOutcome, ListTable, OpsPage, WithContactCenter } from './ops-kit';
import { useAction } from './use-action';
import { WebhookDeliveries } from './webhook-deliveries';

/** Webhook subscriptions of a contact center and their delivery logs (docs/lifecycle.md, Webhooks). */
export function WebhooksPage() {
  return (
    <OpsPage title="Webhooks" intro="Lifecycle events are POSTed to each subscription, signed with its secret (shown once, at creation).">
      <WithContactCenter>{(ccid) => <WebhooksOf ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function WebhooksOf({ ccid }: { ccid: string }) {
  const webhooks = useAsync(() => listWebhooks(ccid), [ccid]);
  const action = useAction();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['recording.deleted']);
  const [created, setCreated] = useState<Webhook>();
  const [selected, setSelected] = useState<Webhook>();

  async function subscribe(event: FormEvent) {
    event.preventDefault();
    let answer: Webhook | undefined;
    const ok = await action.run(async () => (answer = await createWebhook(ccid, url.trim(), events)), 'The subscription was created.', webhooks.reload);
    if (ok) {
      setCreated(answer);
      setUrl('');
    }
  }

  return (
    <>
      <form className="panel ops-form" onSubmit={(e) => void subscribe(e)} aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">New subscription</h2>
        <div className="field">
          <label htmlFor="webhook-url">URL (https)</label>
          <input id="webhook-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/rws" />
        </div>
        <fieldset className="checks">
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name}>
              <input type="checkbox" checked={events.includes(name)} onChange={(e) => setEvents(e.target.checked ? [...events, name] : events.filter((x) => x !== name))} /> {name}
            </label>
          ))}
        </fieldset>
        <ActionOutcome action={action} />
        {created?.secret ? (
          <p className="notice" data-testid="webhook-secret">
            Signing secret of {created.url} (shown this once): <code>{created.secret}</code>
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={action.busy}>Subscribe</button>
        </div>
      </form>
      <h2>Subscriptions</h2>
      <ListTable
        list={webhooks}
        what="subscriptions"
        label="Webhook subscriptions"
        columns={['URL', 'Events', 'Created', 'Actions']}
        row={(w) => (
          <tr key={w.id} aria-selected={selected?.id === w.id}>
            <th scope="row">{w.url}</th>
            <td>{w.events.join(', ')}</td>
            <td>{formatTime(w.createdAt)}</td>
            <td className="row-actions">
              <button type="button" aria-label={`Deliveries to ${w.url}`} onClick={() => setSelected(w)}>Deliveries</button>
              <ActionButton
                action={action}
                label={`Delete subscription ${w.url}`}
                change={() => deleteWebhook(ccid, w.id)}
                notice={`The subscription to ${w.url} was deleted.`}
                after={() => { setSelected(undefined); webhooks.reload(); }}
              >
                Delete
              </ActionButton>
            </td>
          </tr>
        )}
      />
      {selected ? <WebhookDeliveries key={selected.id} ccid={ccid} webhook={selected} /> : null}
    </>
  );
}
