import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { basicAuth, TestApp } from './test-app';

/** A user created through the ops API for a test, with its password and Basic header. */
export interface TestUser {
  userName: string;
  password: string;
  basic: string;
}

/** The people and machines of one test contact center. */
export interface IdentityFixture {
  ccid: string;
  otherCcid: string;
  alice: TestUser; // agent a-alice, /EMEA/Sales/alice
  bob: TestUser; // agent a-bob, /EMEA/Sales/bob
  sue: TestUser; // supervisor of /EMEA/Sales, decrypt
  sam: TestUser; // supervisor of /APAC
  pat: TestUser; // quality analyst of partition /sales
  processor: TestUser; // service account (Recording Processor)
  cryptoService: TestUser; // service account with decrypt
  foreignService: TestUser; // service account of the other contact center
}

export async function createContactCenter(app: TestApp): Promise<string> {
  const res = await request(app.url).post('/api/v2/ops/contact-centers').set('Authorization', app.opsAuth).send({ name: 'identity e2e' }).expect(200);
  return res.body.contactCenter.id as string;
}

export async function createUser(app: TestApp, ccid: string, prefix: string, attributes: Record<string, unknown>): Promise<TestUser> {
  // Names are unique node-wide and the Cassandra keyspace outlives a run: every run uses fresh names.
  const userName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  await request(app.url)
    .post(`/api/v2/ops/contact-centers/${ccid}/users`)
    .set('Authorization', app.opsAuth)
    .send({ userName, password, ...attributes })
    .expect(200);
  return { userName, password, basic: basicAuth(userName, password) };
}

export async function createIdentityFixture(app: TestApp): Promise<IdentityFixture> {
  const ccid = await createContactCenter(app);
  const otherCcid = await createContactCenter(app);
  const [alice, bob, sue, sam, pat, processor, cryptoService, foreignService] = await Promise.all([
    createUser(app, ccid, 'alice', { roles: ['agent'], agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice' }),
    createUser(app, ccid, 'bob', { roles: ['agent'], agentId: 'a-bob', agentHierarchy: '/EMEA/Sales/bob' }),
    createUser(app, ccid, 'sue', { roles: ['supervisor'], accessGroups: ['/EMEA/Sales'], permissions: ['decrypt', 'applyNonDelete'] }),
    createUser(app, ccid, 'sam', { roles: ['supervisor'], accessGroups: ['/APAC'], permissions: ['decrypt'] }),
    createUser(app, ccid, 'pat', { roles: ['supervisor'], accessGroups: ['/sales'] }),
    createUser(app, ccid, 'processor', { kind: 'service' }),
    createUser(app, ccid, 'crypto', { kind: 'service', permissions: ['decrypt'] }),
    createUser(app, otherCcid, 'foreign', { kind: 'service' }),
  ]);
  return { ccid, otherCcid, alice, bob, sue, sam, pat, processor, cryptoService, foreignService };
}

/** A distinct client address per test (X-Forwarded-For is honoured from loopback), so throttles do not interfere. */
export function sourceAddress(n: number): string {
  return `198.51.100.${n}`;
}

/** Repeats an HTTP call until it answers 200 (e.g. once a lock has run out). */
export async function expectEventuallyOk(call: () => PromiseLike<{ status: number }>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await call()).status;
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`still ${status} after ${timeoutMs} ms`);
}
