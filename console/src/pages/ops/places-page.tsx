import { useState, type FormEvent } from 'react';
import { createDn, createPlace, deleteDn, deletePlace, listDns, listPlaces } from '../../api/ops/places';
import { useAsync } from '../../components/use-async';
import { ActionButton, ActionOutcome, ListTable, listOf, OpsPage, WithContactCenter } from './ops-kit';
import { useAction } from './use-action';

/** A contact center's DNs and the places that group them (docs/places.md). */
export function PlacesPage() {
  return (
    <OpsPage title="Places and DNs" intro="A DN belongs to one contact center; a place groups DNs and may be reserved for some agents (empty: every agent).">
      <WithContactCenter>{(ccid) => <PlacesOf ccid={ccid} />}</WithContactCenter>
    </OpsPage>
  );
}

function PlacesOf({ ccid }: { ccid: string }) {
  const dns = useAsync(() => listDns(ccid), [ccid]);
  const places = useAsync(() => listPlaces(ccid), [ccid]);
  const action = useAction();
  const [dn, setDn] = useState({ dn: '', switchName: '' });
  const [place, setPlace] = useState({ name: '', dns: '', agents: '' });
  const reloadAll = () => {
    dns.reload();
    places.reload();
  };

  async function addDn(event: FormEvent) {
    event.preventDefault();
    if (await action.run(() => createDn(ccid, dn.dn.trim(), dn.switchName.trim()), `DN ${dn.dn.trim()} was added.`, dns.reload)) setDn({ dn: '', switchName: '' });
  }
  async function addPlace(event: FormEvent) {
    event.preventDefault();
    const created = await action.run(() => createPlace(ccid, { name: place.name.trim(), dns: listOf(place.dns), agents: listOf(place.agents) }), `Place ${place.name.trim()} was created.`, places.reload);
    if (created) setPlace({ name: '', dns: '', agents: '' });
  }

  return (
    <>
      <ActionOutcome action={action} />
      <div className="columns">
        <div>
          <h2>DNs</h2>
          <form className="ops-inline-form" onSubmit={(e) => void addDn(e)} aria-label="New DN">
            <label htmlFor="new-dn">DN</label>
            <input id="new-dn" required value={dn.dn} onChange={(e) => setDn({ ...dn, dn: e.target.value })} />
            <label htmlFor="new-dn-switch">Switch</label>
            <input id="new-dn-switch" placeholder="SIP_Switch" value={dn.switchName} onChange={(e) => setDn({ ...dn, switchName: e.target.value })} />
            <button type="submit" disabled={action.busy}>Add DN</button>
          </form>
          <ListTable
            list={dns}
            what="DNs"
            label="DNs"
            columns={['DN', 'Switch', 'Actions']}
            row={(d) => (
              <tr key={d.dn}>
                <th scope="row">{d.dn}</th>
                <td>{d.switch}</td>
                <td>
                  <ActionButton action={action} label={`Delete DN ${d.dn}`} change={() => deleteDn(ccid, d.dn)} notice={`DN ${d.dn} was deleted.`} after={reloadAll}>
                    Delete
                  </ActionButton>
                </td>
              </tr>
            )}
          />
        </div>
        <div>
          <h2>Places</h2>
          <form className="ops-inline-form" onSubmit={(e) => void addPlace(e)} aria-label="New place">
            <label htmlFor="new-place">Place name</label>
            <input id="new-place" required value={place.name} onChange={(e) => setPlace({ ...place, name: e.target.value })} />
            <label htmlFor="new-place-dns">Its DNs</label>
            <input id="new-place-dns" placeholder="7001, 7002" value={place.dns} onChange={(e) => setPlace({ ...place, dns: e.target.value })} />
            <label htmlFor="new-place-agents">Reserved for</label>
            <input id="new-place-agents" placeholder="every agent" value={place.agents} onChange={(e) => setPlace({ ...place, agents: e.target.value })} />
            <button type="submit" disabled={action.busy}>Add place</button>
          </form>
          <ListTable
            list={places}
            what="places"
            label="Places"
            columns={['Place', 'DNs', 'Agents', 'Actions']}
            row={(p) => (
              <tr key={p.name}>
                <th scope="row">{p.name}</th>
                <td>{p.dns.join(', ') || '—'}</td>
                <td>{p.agents.join(', ') || 'every agent'}</td>
                <td>
                  <ActionButton action={action} label={`Delete place ${p.name}`} change={() => deletePlace(ccid, p.name)} notice={`Place ${p.name} was deleted.`} after={places.reload}>
                    Delete
                  </ActionButton>
                </td>
              </tr>
            )}
          />
        </div>
      </div>
    </>
  );
}
