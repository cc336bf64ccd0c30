import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AccessPolicy } from '../../src/identity/access/access-policy';
import { RecordingFacts } from '../../src/identity/access/recording-access';
import { Authenticator } from '../../src/identity/authentication/authenticator';
import type { Principal } from '../../src/identity/principal';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';
import { createIdentityFixture, expectEventuallyOk, IdentityFixture, sourceAddress } from '../support/identity-fixtures';

jest.setTimeout(120_000);

/** User administration, the access policy on stored users, and the audit log, over HTTP on both backends. */
describe.each(METADATA_BACKENDS)('identity administration and audit on %s', (backend) => {
  let app: TestApp;
  let fx: IdentityFixture;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata: backend }));
    fx = await createIdentityFixture(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const me = (auth: string, source = '127.0.0.1') => request(app.url).get('/api/v2/me').set('Authorization', auth).set('X-Forwarded-For', source);

  async function login(user: { userName: string; password: string }): Promise<{ access_token: string; refresh_token: string }> {
    const res = await request(app.url).post('/api/v2/auth/token').send({ userName: user.userName, password: user.password }).expect(200);
    return res.body;
  }

  describe('user administration', () => {
    it('creates, reads, lists, replaces and deletes without ever showing the password hash', async () => {
      const base = `/api/v2/ops/contact-centers/${fx.ccid}/users`;
      const userName = `carol-${randomUUID().slice(0, 8)}`;
      const created = await request(app.url)
        .post(base)
        .set('Authorization', app.opsAuth)
        .send({ userName, password: 'first-password', roles: ['agent'], agentId: 'a-carol' })
        .expect(200);
      expect(created.body.user).toMatchObject({ userName, ccid: fx.ccid, kind: 'user', roles: ['agent'], agentId: 'a-carol', recordingWhen: 'voice' });
      expect(JSON.stringify(created.body)).not.toMatch(/scrypt|password/i);

      const listed = await request(app.url).get(base).set('Authorization', app.opsAuth).expect(200);
      expect(listed.body.users.map((u: { userName: string }) => u.userName)).toContain(userName);
      expect(JSON.stringify(listed.body)).not.toMatch(/scrypt/);

      const replaced = await request(app.url)
        .put(`${base}/${userName}`)
        .set('Authorization', app.opsAuth)
        .send({ roles: ['supervisor'], accessGroups: ['/EMEA'], recordingWhen: 'off' })
        .expect(200);
      expect(replaced.body.user).toMatchObject({ roles: ['supervisor'], accessGroups: ['/EMEA'], recordingWhen: 'off' });
      expect(replaced.body.user.agentId).toBeUndefined();
      await me(basicAuth(userName, 'first-password')).expect(200);

      await request(app.url).delete(`${base}/${userName}`).set('Authorization', app.opsAuth).expect(200);
      await request(app.url).get(`${base}/${userName}`).set('Authorization', app.opsAuth).expect(404);
      await me(basicAuth(userName, 'first-password'), sourceAddress(2)).expect(401);
    });

    it('refuses a taken name (any case, any contact center, the ops name), bad input and unknown contact centers', async () => {
      const post = (ccid: string, body: object) => request(app.url).post(`/api/v2/ops/contact-centers/${ccid}/users`).set('Authorization', app.opsAuth).send(body);
      expect((await post(fx.otherCcid, { userName: fx.alice.userName.toUpperCase(), password: 'long-enough' })).status).toBe(409);
      expect((await post(fx.ccid, { userName: 'OPS', password: 'long-enough' })).status).toBe(409);
      const bad = await post(fx.ccid, { userName: 'has:colon', password: 'long-enough' });
      expect(bad.status).toBe(400);
      expect(bad.body.statusMessage).toMatch(/^Parameter 'userName' is invalid/);
      expect((await post(fx.ccid, { userName: 'short-pw', password: 'x' })).status).toBe(400);
      expect((await post(fx.ccid, { userName: 'bad-role', password: 'long-enough', roles: ['root'] })).status).toBe(400);
      expect((await post(randomUUID(), { userName: `u-${randomUUID().slice(0, 8)}`, password: 'long-enough' })).status).toBe(404);
    });

    it('does not show a user through another contact center', async () => {
      await request(app.url).get(`/api/v2/ops/contact-centers/${fx.otherCcid}/users/${fx.alice.userName}`).set('Authorization', app.opsAuth).expect(404);
    });
  });

  describe('access policy applied to users as stored', () => {
    // Recording endpoints come later; here the policy judges principals built from the stored users
    // (the same path every request takes), against recording fixtures.
    let policy: AccessPolicy;
    const principalOf = async (user: { basic: string }): Promise<Principal> =>
      (await app.app.get(Authenticator).authenticate({ headers: { authorization: user.basic }, ip: '127.0.0.1' })).principal;
    const rec = (overrides: Partial<RecordingFacts> = {}): RecordingFacts => ({
      ccid: fx.ccid,
      region: app.config.region,
      agentId: 'a-alice',
      agentHierarchy: '/EMEA/Sales/alice',
      partitions: [],
      ...overrides,
    });

    beforeAll(() => {
      policy = app.app.get(AccessPolicy);
    });

    it('an agent reads its own recording; another agent gets the same 404 as for a missing id', async () => {
      expect(policy.canSeeRecording(await principalOf(fx.alice), rec())).toBe(true);
      const bob = await principalOf(fx.bob);
      expect(() => policy.requireVisible(bob, rec(), 'REC-1')).toThrow('Requested recording [REC-1] cannot be found.');
      expect(() => policy.requireVisible(bob, undefined, 'REC-1')).toThrow('Requested recording [REC-1] cannot be found.');
    });

    it('a supervisor sees its hierarchy; one outside it does not', async () => {
      const sue = await principalOf(fx.sue);
      const sam = await principalOf(fx.sam);
      expect(policy.canSeeRecording(sue, rec())).toBe(true);
      expect(policy.canSeeRecording(sue, rec({ agentHierarchy: '/EMEA/SalesOps/x' }))).toBe(false);
      expect(policy.canSeeRecording(sam, rec())).toBe(false);
    });

    it('partition match and mismatch', async () => {
      const pat = await principalOf(fx.pat);
      expect(policy.canSeeRecording(pat, rec({ agentHierarchy: '/X', partitions: ['/support', '/sales'] }))).toBe(true);
      expect(policy.canSeeRecording(pat, rec({ agentHierarchy: '/X', partitions: ['/support'] }))).toBe(false);
    });

    it('service accounts see their own contact center only; the decrypt rule is the crypto service’s (service accounts of the contact center unwrap, users need decrypt)', async () => {
      const processor = await principalOf(fx.processor);
      const crypto = await principalOf(fx.cryptoService);
      const foreign = await principalOf(fx.foreignService);
      expect(policy.canSeeRecording(processor, rec({ agentId: undefined }))).toBe(true);
      expect(policy.canSeeRecording(foreign, rec())).toBe(false);
      expect(policy.canSeeRecording(foreign, rec(), fx.ccid)).toBe(false);
      expect(() => policy.requireDecrypt(processor)).not.toThrow();
      expect(() => policy.requireDecrypt(crypto)).not.toThrow();
      const bob = await principalOf(fx.bob);
      expect(() => policy.requireDecrypt(bob)).toThrow('Insufficient recording permissions');
    });

    it('a recording of another region is hidden from everyone', async () => {
      for (const user of [fx.alice, fx.sue, fx.processor]) expect(policy.canSeeRecording(await principalOf(user), rec({ region: 'elsewhere' }))).toBe(false);
    });

    it('a role change applies to the next request on this node', async () => {
      const base = `/api/v2/ops/contact-centers/${fx.ccid}/users/${fx.sam.userName}`;
      await request(app.url).put(base).set('Authorization', app.opsAuth).send({ roles: ['supervisor'], accessGroups: ['/EMEA'] }).expect(200);
      await expectEventuallyOk(() => me(fx.sam.basic, sourceAddress(50)));
      expect(policy.canSeeRecording(await principalOf(fx.sam), rec())).toBe(true);
      await request(app.url).put(base).set('Authorization', app.opsAuth).send({ roles: ['supervisor'], accessGroups: ['/APAC'], permissions: ['decrypt'] }).expect(200);
      expect(policy.canSeeRecording(await principalOf(fx.sam), rec())).toBe(false);
    });
  });

  describe('audit log', () => {
    beforeAll(async () => {
      // Events of bob: a failed and a successful sign-in, a logout; a signing key rotation by ops.
      await me(basicAuth(fx.bob.userName, 'wrong-password'), sourceAddress(60)).expect(401);
      const pair = await login(fx.bob);
      await request(app.url).post('/api/v2/auth/logout').set('Authorization', `Bearer ${pair.access_token}`).send({}).expect(200);
      await request(app.url).post('/api/v2/ops/signing-keys').set('Authorization', app.opsAuth).send({ operationName: 'rotate' }).expect(200);
    });

    it('records user changes, sign-ins and failures; queryable by time window and user', async () => {
      const from = new Date(Date.now() - 60_000).toISOString();
      const url = `/api/v2/ops/contact-centers/${fx.ccid}/audit-log`;
      const byOps = await request(app.url).get(url).query({ from, userName: 'OPS' }).set('Authorization', app.opsAuth).expect(200);
      const created = byOps.body.entries.filter((e: { action: string }) => e.action === 'userCreate').map((e: { objectId: string }) => e.objectId);
      expect(created).toEqual(expect.arrayContaining([fx.alice.userName, fx.processor.userName]));
      expect(byOps.body.entries.every((e: { actor: string }) => e.actor === 'ops')).toBe(true);
      expect(byOps.body.entries[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

      const bob = await request(app.url).get(url).query({ from, userName: fx.bob.userName }).set('Authorization', app.opsAuth).expect(200);
      const actions = bob.body.entries.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`);
      expect(actions).toEqual(expect.arrayContaining(['login:success', 'login:failed', 'logout:success']));
      const failed = bob.body.entries.find((e: { outcome: string }) => e.outcome === 'failed');
      expect(failed.source).toMatch(/^198\.51\.100\.\d+$/);

      const future = await request(app.url).get(url).query({ from: '2099-01-01T00:00:00Z', to: '2099-01-02T00:00:00+0000' }).set('Authorization', app.opsAuth).expect(200);
      expect(future.body.entries).toEqual([]);
    });

    it('pages with nextPageToken and rejects bad windows with 400', async () => {
      const url = `/api/v2/ops/contact-centers/${fx.ccid}/audit-log`;
      const first = await request(app.url).get(url).query({ limit: 2 }).set('Authorization', app.opsAuth).expect(200);
      expect(first.body.entries).toHaveLength(2);
      const second = await request(app.url).get(url).query({ limit: 2, pageToken: first.body.nextPageToken }).set('Authorization', app.opsAuth).expect(200);
      expect(second.body.entries[0].id).not.toBe(first.body.entries[0].id);
      expect(second.body.entries[0].at <= first.body.entries[1].at).toBe(true);
      await request(app.url).get(url).query({ from: 'yesterday' }).set('Authorization', app.opsAuth).expect(400);
      await request(app.url).get(url).query({ from: '2020-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z' }).set('Authorization', app.opsAuth).expect(400);
      await request(app.url).get(url).query({ pageToken: 'garbage!' }).set('Authorization', app.opsAuth).expect(400);
    });

    it('files signing key operations in the node-wide log', async () => {
      const res = await request(app.url).get('/api/v2/ops/audit-log').set('Authorization', app.opsAuth).expect(200);
      expect(res.body.entries.map((e: { action: string }) => e.action)).toContain('signingKeyRotate');
    });
  });
  it('documents the identity endpoints in the OpenAPI document', async () => {
    const doc = await request(app.url).get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v2/me',
        '/api/v2/auth/token',
        '/api/v2/auth/refresh',
        '/api/v2/auth/logout',
        '/api/v2/ops/contact-centers/{ccid}/users',
        '/api/v2/ops/contact-centers/{ccid}/users/{userName}',
        '/api/v2/ops/contact-centers/{ccid}/audit-log',
        '/api/v2/ops/signing-keys',
      ]),
    );
  });

});
