import { generateKeyPairSync, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AccessPolicy } from '../../src/identity/access/access-policy';
import { RecordingFacts } from '../../src/identity/access/recording-access';
import { Authenticator } from '../../src/identity/authentication/authenticator';
import type { Principal } from '../../src/identity/principal';
import { signJwt, TokenClaims } from '../../src/identity/tokens/jwt';
import { SigningKeyRing } from '../../src/identity/tokens/signing-key-ring';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';
import { createIdentityFixture, IdentityFixture, sourceAddress } from '../support/identity-fixtures';

jest.setTimeout(120_000);

function sessionCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('JSESSIONID='));
  if (!cookie) throw new Error('no JSESSIONID cookie');
  return cookie.split(';')[0];
}

describe.each(METADATA_BACKENDS)('identity over HTTP on %s', (backend) => {
  let app: TestApp;
  let fx: IdentityFixture;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata: backend, env: { RWS_LOGIN_MAX_FAILURES_PER_SOURCE: '8' } }));
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

  describe('Basic authentication', () => {
    it('accepts the right password and shows the caller', async () => {
      const res = await me(fx.sue.basic).expect(200);
      expect(res.body).toEqual({
        statusCode: 0,
        user: { userName: fx.sue.userName, kind: 'user', ccid: fx.ccid, roles: ['supervisor'], permissions: ['applyNonDelete', 'decrypt'], accessGroups: ['/EMEA/Sales'], recordingWhen: 'voice' },
      });
    });

    it('refuses a wrong password, an unknown user and a malformed header with 401 and a Basic challenge', async () => {
      for (const auth of [basicAuth(fx.bob.userName, 'wrong-password'), basicAuth(`nobody-${randomUUID()}`, 'x'), 'Basic ###', 'Digest abc']) {
        const res = await me(auth, sourceAddress(1)).expect(401);
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        expect(res.body.statusCode).toBe(1);
      }
      const res = await request(app.url).get('/api/v2/me').expect(401);
      expect(res.body).toEqual({ statusCode: 1, statusMessage: 'Authentication required.' });
    });

    it('finds users without a ccid in the path, case-insensitively', async () => {
      const res = await me(basicAuth(fx.alice.userName.toUpperCase(), fx.alice.password)).expect(200);
      expect(res.body.user.userName).toBe(fx.alice.userName);
    });
  });

  describe('roles and ops endpoints', () => {
    it('answers 403 statusCode 5 to an agent calling ops endpoints, before looking at its input', async () => {
      const calls = [
        request(app.url).get(`/api/v2/ops/contact-centers/${fx.ccid}/users`),
        request(app.url).post(`/api/v2/ops/contact-centers/${fx.ccid}/users`).send({ userName: 'x' }),
        request(app.url).get('/api/v2/ops/contact-centers'),
        request(app.url).get(`/api/v2/ops/contact-centers/${fx.ccid}/audit-log`),
        request(app.url).post('/api/v2/ops/signing-keys').send({}),
      ];
      for (const call of calls) {
        const res = await call.set('Authorization', fx.alice.basic).expect(403);
        expect(res.body.statusCode).toBe(5);
      }
    });

    it('keeps service accounts out of user administration', async () => {
      const res = await request(app.url).get(`/api/v2/ops/contact-centers/${fx.ccid}/users`).set('Authorization', fx.processor.basic).expect(403);
      expect(res.body.statusCode).toBe(5);
    });
  });

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

  describe('tokens', () => {
    it('issues a pair for Basic or JSON credentials; the access token works as Bearer', async () => {
      const viaBasic = await request(app.url).post('/api/v2/auth/token').set('Authorization', fx.bob.basic).expect(200);
      expect(viaBasic.body).toMatchObject({ statusCode: 0, token_type: 'Bearer', expires_in: 900 });
      const pair = await login(fx.bob);
      const res = await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${pair.access_token}`).expect(200);
      expect(res.body.user.userName).toBe(fx.bob.userName);
      await request(app.url).post('/api/v2/auth/token').send({ userName: fx.bob.userName, password: 'nope' }).set('X-Forwarded-For', sourceAddress(3)).expect(401);
    });

    it('refuses malformed token requests with 400 and missing credentials with 401', async () => {
      const bad = await request(app.url).post('/api/v2/auth/token').send({ userName: { $ne: '' }, password: 'x' }).expect(400);
      expect(bad.body.statusMessage).toMatch(/^Parameter 'userName' is invalid/);
      await request(app.url).post('/api/v2/auth/token').expect(401);
      await request(app.url).post('/api/v2/auth/refresh').send({}).expect(400);
    });

    it('refuses forged tokens: altered payload, foreign key with a known kid, alg none, garbage', async () => {
      const { access_token } = await login(fx.alice);
      const [header, payload, signature] = access_token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as TokenClaims;
      const elevated = Buffer.from(JSON.stringify({ ...claims, sub: fx.sue.userName })).toString('base64url');
      const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid as string;
      const foreign = signJwt({ ...claims, sub: fx.sue.userName }, kid, generateKeyPairSync('ed25519').privateKey);
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${payload}.`;
      for (const token of [`${header}.${elevated}.${signature}`, foreign, none, 'not-a-token', `${access_token}x`]) {
        const res = await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${token}`).expect(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer .*invalid_token/);
      }
    });

    it('refuses an expired token and a session cookie presented as a Bearer token', async () => {
      const ring = app.app.get(SigningKeyRing);
      const key = await ring.signingKey();
      const { access_token } = await login(fx.alice);
      const claims = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString()) as TokenClaims;
      const now = Math.floor(Date.now() / 1000);
      const expired = signJwt({ ...claims, jti: randomUUID(), iat: now - 1000, exp: now - 10 }, key.kid, key.privateKey);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${expired}`).expect(401);
      const sameButValid = signJwt({ ...claims, jti: randomUUID(), iat: now, exp: now + 60 }, key.kid, key.privateKey);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${sameButValid}`).expect(200);
      const session = signJwt({ ...claims, use: 'session', csrf: 'x', jti: randomUUID(), iat: now, exp: now + 60 }, key.kid, key.privateKey);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${session}`).expect(401);
    });

    it('rotates refresh tokens; replaying a used one revokes the whole session', async () => {
      const first = await login(fx.bob);
      const second = (await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: first.refresh_token }).expect(200)).body;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${second.access_token}`).expect(200);
      await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: first.refresh_token }).expect(401);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${second.access_token}`).expect(401);
      await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: second.refresh_token }).expect(401);
      await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: 'made-up' }).expect(401);
    });

    it('logout revokes the access token and the refresh token, and leaves other sessions alone', async () => {
      const mine = await login(fx.sue);
      const other = await login(fx.sue);
      await request(app.url).post('/api/v2/auth/logout').set('Authorization', `Bearer ${mine.access_token}`).send({}).expect(200);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${mine.access_token}`).expect(401);
      await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: mine.refresh_token }).expect(401);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${other.access_token}`).expect(200);
    });

    it('a password change ends tokens issued before it', async () => {
      const pair = await login(fx.pat);
      await request(app.url)
        .put(`/api/v2/ops/contact-centers/${fx.ccid}/users/${fx.pat.userName}`)
        .set('Authorization', app.opsAuth)
        .send({ roles: ['supervisor'], accessGroups: ['/sales'], password: 'a-new-password' })
        .expect(200);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${pair.access_token}`).expect(401);
      await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: pair.refresh_token }).expect(401);
      await me(fx.pat.basic, sourceAddress(4)).expect(401);
      fx.pat = { ...fx.pat, password: 'a-new-password', basic: basicAuth(fx.pat.userName, 'a-new-password') };
      await me(fx.pat.basic).expect(200);
    });

    it('rotating the signing key logs nobody out; retiring the old key refuses its tokens', async () => {
      const before = await login(fx.alice);
      const oldKid = JSON.parse(Buffer.from(before.access_token.split('.')[0], 'base64url').toString()).kid as string;
      const rotated = await request(app.url).post('/api/v2/ops/signing-keys').set('Authorization', app.opsAuth).send({ operationName: 'rotate' }).expect(200);
      const newKid = rotated.body.key.kid as string;
      expect(newKid).not.toBe(oldKid);
      const after = await login(fx.alice);
      expect(JSON.parse(Buffer.from(after.access_token.split('.')[0], 'base64url').toString()).kid).toBe(newKid);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${before.access_token}`).expect(200);

      const keys = await request(app.url).get('/api/v2/ops/signing-keys').set('Authorization', app.opsAuth).expect(200);
      const status = Object.fromEntries(keys.body.keys.map((k: { kid: string; status: string }) => [k.kid, k.status]));
      expect(status[newKid]).toBe('signing');
      expect(status[oldKid]).toBe('verifying');

      await request(app.url).post(`/api/v2/ops/signing-keys/${oldKid}`).set('Authorization', app.opsAuth).send({ operationName: 'retire' }).expect(200);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${before.access_token}`).expect(401);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${after.access_token}`).expect(200);
      // The refresh token is not signed: the old session continues with a token of the new key.
      const refreshed = await request(app.url).post('/api/v2/auth/refresh').send({ refresh_token: before.refresh_token }).expect(200);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${refreshed.body.access_token}`).expect(200);
      await request(app.url).post(`/api/v2/ops/signing-keys/${randomUUID()}`).set('Authorization', app.opsAuth).send({ operationName: 'retire' }).expect(404);
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

  describe('CSRF and the session cookie', () => {
    it('answers an authenticated GET with the CSRF headers and an HttpOnly, SameSite=Lax JSESSIONID', async () => {
      const res = await me(fx.processor.basic).expect(200);
      expect(res.headers['x-csrf-header']).toBe('X-CSRF-TOKEN');
      expect(res.headers['x-csrf-token']).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('JSESSIONID='))!;
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).toMatch(/Path=\//);
    });

    it('authenticates a cookie-only GET and keeps the same token; a cookie-only POST needs that token', async () => {
      const first = await me(app.opsAuth).expect(200);
      const cookie = sessionCookieOf(first);
      const token = first.headers['x-csrf-token'] as string;
      const again = await request(app.url).get('/api/v2/me').set('Cookie', cookie).expect(200);
      expect(again.body.user.kind).toBe('ops');
      expect(again.headers['x-csrf-token']).toBe(token);
      expect(again.headers['set-cookie']).toBeUndefined();

      const createUser = () => request(app.url).post(`/api/v2/ops/contact-centers/${fx.ccid}/users`).set('Cookie', cookie);
      const body = () => ({ userName: `csrf-${randomUUID().slice(0, 8)}`, password: 'long-enough' });
      const missing = await createUser().send(body()).expect(403);
      expect(missing.body).toEqual({ statusCode: 5, statusMessage: 'Missing or invalid Csrf token' });
      await createUser().set('X-CSRF-TOKEN', `${token}x`).send(body()).expect(403);
      await createUser().set('X-CSRF-TOKEN', token).send(body()).expect(200);
    });

    it('the Recording Processor flow: GET /me with Basic, then POST with header + cookie (and Basic)', async () => {
      const first = await me(app.opsAuth).expect(200);
      const post = () => request(app.url).post(`/api/v2/ops/contact-centers/${fx.ccid}/users`).set('Cookie', sessionCookieOf(first));
      await post()
        .set('Authorization', app.opsAuth)
        .set('X-CSRF-TOKEN', first.headers['x-csrf-token'] as string)
        .send({ userName: `rp-${randomUUID().slice(0, 8)}`, password: 'long-enough' })
        .expect(200);
      // With an Authorization header the token is not required, and a wrong one does not fail the request.
      await post().set('Authorization', app.opsAuth).set('X-CSRF-TOKEN', 'wrong').send({ userName: `rp-${randomUUID().slice(0, 8)}`, password: 'long-enough' }).expect(200);
    });

    it('a Bearer GET binds the cookie to the token session: logout ends both', async () => {
      const pair = await login(fx.bob);
      const first = await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${pair.access_token}`).expect(200);
      const cookie = sessionCookieOf(first);
      await request(app.url).get('/api/v2/me').set('Cookie', cookie).expect(200);
      await request(app.url).post('/api/v2/auth/logout').set('Cookie', cookie).send({}).expect(403);
      const out = await request(app.url).post('/api/v2/auth/logout').set('Cookie', cookie).set('X-CSRF-TOKEN', first.headers['x-csrf-token'] as string).send({}).expect(200);
      expect(([] as string[]).concat(out.headers['set-cookie'] ?? []).some((c) => /^JSESSIONID=;.*Max-Age=0/.test(c))).toBe(true);
      await request(app.url).get('/api/v2/me').set('Cookie', cookie).expect(401);
      await request(app.url).get('/api/v2/me').set('Authorization', `Bearer ${pair.access_token}`).expect(401);
    });

    it('never lets a bad Authorization header fall back to a valid cookie', async () => {
      const first = await me(fx.sue.basic).expect(200);
      await request(app.url).get('/api/v2/me').set('Cookie', sessionCookieOf(first)).set('Authorization', 'Bearer forged').expect(401);
    });
  });

  describe('brute-force protection', () => {
    it('after 20 wrong passwords in a row, even the right one is refused for a while; other users are unaffected', async () => {
      const source = sourceAddress(20);
      const messages: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await me(basicAuth(fx.sam.userName, `wrong-${i}`), source).expect(401);
        messages.push(res.body.statusMessage as string);
      }
      const checked = messages.filter((m) => m === 'Invalid credentials.').length;
      expect(checked).toBeGreaterThanOrEqual(5);
      expect(checked).toBeLessThan(20);
      expect(messages[19]).toMatch(/^Too many failed sign-in attempts/);
      const right = await me(fx.sam.basic, sourceAddress(21)).expect(401);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      await me(fx.sue.basic, sourceAddress(22)).expect(200);
      // The account stays usable once the lock has run out.
      await expectEventuallyOk(() => me(fx.sam.basic, sourceAddress(21)));
    });

    it('throttles a source that sprays wrong passwords over many names, not other sources', async () => {
      const source = sourceAddress(30);
      for (let i = 0; i < 8; i++) await me(basicAuth(`spray-${i}-${randomUUID().slice(0, 4)}`, 'guess'), source).expect(401);
      const res = await me(fx.bob.basic, source).expect(401);
      expect(res.body.statusMessage).toMatch(/^Too many failed sign-in attempts/);
      await me(fx.bob.basic, sourceAddress(31)).expect(200);
    });

    it('counts refusals in /metrics', async () => {
      const metrics = await request(app.url).get('/metrics').expect(200);
      const count = (reason: string) => Number(new RegExp(`rws_auth_failures_total\\{reason="${reason}"\\} (\\d+)`).exec(metrics.text)?.[1] ?? 0);
      expect(count('throttled')).toBeGreaterThan(0);
      expect(count('invalid_credentials')).toBeGreaterThan(0);
      expect(count('invalid_token')).toBeGreaterThan(0);
      expect(count('csrf')).toBeGreaterThan(0);
    });

    it('locks unknown user names exactly like real ones (a lock does not reveal existence)', async () => {
      const ghost = `ghost-${randomUUID().slice(0, 8)}`;
      const answers: string[] = [];
      for (let i = 0; i < 7; i++) answers.push((await me(basicAuth(ghost, 'guess'), sourceAddress(40 + i)).expect(401)).body.statusMessage);
      expect(answers.slice(0, 5).every((m) => m === 'Invalid credentials.')).toBe(true);
      expect(answers[6]).toMatch(/^Too many failed sign-in attempts/);
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

    it('service accounts see their own contact center only; the decrypt permission is checked', async () => {
      const processor = await principalOf(fx.processor);
      const crypto = await principalOf(fx.cryptoService);
      const foreign = await principalOf(fx.foreignService);
      expect(policy.canSeeRecording(processor, rec({ agentId: undefined }))).toBe(true);
      expect(policy.canSeeRecording(foreign, rec())).toBe(false);
      expect(policy.canSeeRecording(foreign, rec(), fx.ccid)).toBe(false);
      expect(() => policy.requireDecrypt(processor)).toThrow('Insufficient recording permissions');
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
});

async function expectEventuallyOk(call: () => request.Test, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await call()).status;
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`still ${status} after ${timeoutMs} ms`);
}
