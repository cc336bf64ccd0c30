import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './test-app';

/**
 * A DN number no other run is likely to have given to a contact center: DN numbers are unique node-wide and
 * the Cassandra keyspace outlives runs. Outside 7001–7010, which the embedded default gives its own contact center.
 */
export function uniqueDn(): string {
  return String(randomInt(100_000_000, 999_999_999));
}

/** Gives `dn` (on `switchName`) to the contact center through the ops API. */
export async function createDn(app: TestApp, ccid: string, dn: string, switchName = 'SIP_Switch'): Promise<void> {
  await request(app.url).post(`/api/v2/ops/contact-centers/${ccid}/dns`).set('Authorization', app.opsAuth).send({ dn, switch: switchName }).expect(200);
}

/** Creates a place of existing DNs, optionally reserved for some agents. */
export async function createPlace(app: TestApp, ccid: string, name: string, dns: string[], agents: string[] = []): Promise<void> {
  await request(app.url).post(`/api/v2/ops/contact-centers/${ccid}/places`).set('Authorization', app.opsAuth).send({ name, dns, agents }).expect(200);
}

/** The usual desk: DN `dn` of the contact center in place `Place_<dn>`, open to every agent. */
export async function createDesk(app: TestApp, ccid: string, dn: string): Promise<string> {
  await createDn(app, ccid, dn);
  await createPlace(app, ccid, `Place_${dn}`, [dn]);
  return `Place_${dn}`;
}
