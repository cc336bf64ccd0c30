import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { uniqueDn } from '../support/telephony-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';

/** The ops API of a contact center's DNs and places, on both metadata stores. */
describe.each(METADATA_BACKENDS)('places and DNs through the ops API (%s)', (backend) => {
  let rws: TestApp;
  let ccid: string;
  let otherCcid: string;
  let agent: TestUser;

  beforeAll(async () => {
    rws = await startTestApp(testConfig({ metadata: backend }));
    [ccid, otherCcid] = await Promise.all([createContactCenter(rws), createContactCenter(rws)]);
    agent = await createUser(rws, ccid, 'places-agent', { roles: ['agent'], agentId: 'a-places' });
  });
  afterAll(() => rws.close());

  const ops = (path: string) => `/api/v2/ops/contact-centers/${path}`;

  it('gives a DN to one contact center only, and audits the change', async () => {
    const dn = uniqueDn();
    const created = await request(rws.url).post(ops(`${ccid}/dns`)).set('Authorization', rws.opsAuth).send({ dn, switch: 'SW_East' }).expect(200);
    expect(created.body).toEqual({ statusCode: 0, dn: { dn, switch: 'SW_East', ccid, createdAt: expect.any(String) } });
    const again = await request(rws.url).post(ops(`${ccid}/dns`)).set('Authorization', rws.opsAuth).send({ dn }).expect(409);
    expect(again.body).toMatchObject({ statusCode: 7, statusMessage: `DN [${dn}] already exists.` });
    const stolen = await request(rws.url).post(ops(`${otherCcid}/dns`)).set('Authorization', rws.opsAuth).send({ dn }).expect(409);
    expect(stolen.body).toMatchObject({ statusCode: 7, statusMessage: `DN [${dn}] belongs to another contact center.` });

    const listed = await request(rws.url).get(ops(`${ccid}/dns`)).set('Authorization', rws.opsAuth).expect(200);
    expect(listed.body.dns).toEqual([created.body.dn]);
    expect((await request(rws.url).get(ops(`${otherCcid}/dns`)).set('Authorization', rws.opsAuth).expect(200)).body.dns).toEqual([]);
    await request(rws.url).get(ops(`${otherCcid}/dns/${dn}`)).set('Authorization', rws.opsAuth).expect(404);
    await request(rws.url).delete(ops(`${otherCcid}/dns/${dn}`)).set('Authorization', rws.opsAuth).expect(404);
    await request(rws.url).get(ops(`${ccid}/dns/${dn}`)).set('Authorization', rws.opsAuth).expect(200);

    const audit = await request(rws.url).get(ops(`${ccid}/audit-log`)).set('Authorization', rws.opsAuth).expect(200);
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'dnCreate', objectType: 'dn', objectId: dn, outcome: 'success' }));
  });

  it('groups the contact center’s own DNs into places, each DN in one place, reserved for named agents', async () => {
    const [dn1, dn2, foreign] = [uniqueDn(), uniqueDn(), uniqueDn()];
    for (const dn of [dn1, dn2]) await request(rws.url).post(ops(`${ccid}/dns`)).set('Authorization', rws.opsAuth).send({ dn }).expect(200);
    await request(rws.url).post(ops(`${otherCcid}/dns`)).set('Authorization', rws.opsAuth).send({ dn: foreign }).expect(200);
    const name = `Place_${dn1}`;

    const foreignDn = await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name, dns: [dn1, foreign] }).expect(400);
    expect(foreignDn.body).toMatchObject({ statusCode: 2, statusMessage: `Parameter 'dns' is invalid: DN [${foreign}] is not a DN of this contact center.` });
    await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name, dns: [dn1], agents: ['nobody-here'] }).expect(400);
    const created = await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name, dns: [dn1], agents: [agent.userName] }).expect(200);
    expect(created.body.place).toMatchObject({ name, ccid, dns: [dn1], agents: [agent.userName] });
    await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name }).expect(409);
    const twice = await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name: `Other_${dn1}`, dns: [dn1] }).expect(409);
    expect(twice.body.statusMessage).toBe(`DN [${dn1}] is already in place [${name}].`);
    const inUse = await request(rws.url).delete(ops(`${ccid}/dns/${dn1}`)).set('Authorization', rws.opsAuth).expect(409);
    expect(inUse.body.statusMessage).toMatch(/is in place/);

    const replaced = await request(rws.url).put(ops(`${ccid}/places/${name}`)).set('Authorization', rws.opsAuth).send({ dns: [dn2] }).expect(200);
    expect(replaced.body.place).toMatchObject({ name, dns: [dn2], agents: [] });
    expect((await request(rws.url).get(ops(`${ccid}/places/${name}`)).set('Authorization', rws.opsAuth).expect(200)).body.place.dns).toEqual([dn2]);
    await request(rws.url).get(ops(`${otherCcid}/places/${name}`)).set('Authorization', rws.opsAuth).expect(404);
    await request(rws.url).delete(ops(`${ccid}/dns/${dn1}`)).set('Authorization', rws.opsAuth).expect(200);
    await request(rws.url).delete(ops(`${ccid}/places/${name}`)).set('Authorization', rws.opsAuth).expect(200);
    await request(rws.url).delete(ops(`${ccid}/places/${name}`)).set('Authorization', rws.opsAuth).expect(404);

    const audit = await request(rws.url).get(ops(`${ccid}/audit-log`)).set('Authorization', rws.opsAuth).expect(200);
    const actions = audit.body.entries.filter((e: { objectId: string }) => e.objectId === name || e.objectId === dn1).map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(['dnCreate', 'dnDelete', 'placeCreate', 'placeDelete', 'placeUpdate']);
  });

  it('refuses bad input in the envelope and every caller that is not the operator', async () => {
    const bad = await request(rws.url).post(ops(`${ccid}/dns`)).set('Authorization', rws.opsAuth).send({ dn: '70 01' }).expect(400);
    expect(bad.body).toMatchObject({ statusCode: 2, statusMessage: expect.stringMatching(/^Parameter 'dn' is invalid/) });
    await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name: 'a/b' }).expect(400);
    await request(rws.url).post(ops(`${ccid}/places`)).set('Authorization', rws.opsAuth).send({ name: 'P', dns: 'not-a-list' }).expect(400);
    await request(rws.url).post(ops('not-a-uuid/dns')).set('Authorization', rws.opsAuth).send({ dn: uniqueDn() }).expect(404);
    await request(rws.url).post(ops(`${ccid}/dns`)).set('Authorization', agent.basic).send({ dn: uniqueDn() }).expect(403);
    await request(rws.url).get(ops(`${ccid}/places`)).set('Authorization', agent.basic).expect(403);
    await request(rws.url).get(ops(`${ccid}/places`)).expect(401);
  });
});

describe('the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rws-places-'));
  let rws: TestApp;
  beforeAll(async () => {
    rws = await startTestApp(testConfig({ env: { RWS_DATA_DIR: dataDir } }));
  });
  afterAll(() => rws.close());

  const ops = (path: string) => `/api/v2/ops/contact-centers/${path}`;

  it('gives the embedded default’s contact center the simulator’s DNs 7001–7010, one place each', async () => {
    const list = await request(rws.url).get('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).expect(200);
    const defaultCcid = (list.body.uris[0] as string).split('/').pop()!;
    const places = await request(rws.url).get(ops(`${defaultCcid}/places`)).set('Authorization', rws.opsAuth).expect(200);
    expect(places.body.places.map((p: { name: string; dns: string[] }) => [p.name, p.dns])).toEqual(
      Array.from({ length: 10 }, (_, i) => [`Place_${7001 + i}`, [String(7001 + i)]]),
    );
    const dns = await request(rws.url).get(ops(`${defaultCcid}/dns`)).set('Authorization', rws.opsAuth).expect(200);
    expect(dns.body.dns).toHaveLength(10);
    expect(dns.body.dns[0]).toMatchObject({ dn: '7001', switch: 'SIP_Switch' });
  });

  it('does not put back at the next start what the operator removed', async () => {
    const list = await request(rws.url).get('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).expect(200);
    const defaultCcid = (list.body.uris[0] as string).split('/').pop()!;
    await request(rws.url).delete(ops(`${defaultCcid}/places/Place_7001`)).set('Authorization', rws.opsAuth).expect(200);
    await rws.close();
    rws = await startTestApp(testConfig({ env: { RWS_DATA_DIR: dataDir } }));
    await request(rws.url).get(ops(`${defaultCcid}/places/Place_7001`)).set('Authorization', rws.opsAuth).expect(404);
    await request(rws.url).get(ops(`${defaultCcid}/places/Place_7002`)).set('Authorization', rws.opsAuth).expect(200);
  });
});
