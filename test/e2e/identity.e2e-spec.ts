import { generateKeyPairSync, randomUUID } from 'node:crypto';
import request from 'supertest';
import { signJwt, TokenClaims } from '../../src/identity/tokens/jwt';
import { SigningKeyRing } from '../../src/identity/tokens/signing-key-ring';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';
import { createIdentityFixture, expectEventuallyOk, IdentityFixture, sourceAddress } from '../support/identity-fixtures';

jest.setTimeout(120_000);

function sessionCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('JSESSIONID='));
  if (!cookie) throw new Error('no JSESSIONID cookie');
  return cookie.split(';')[0];
}

/**
 * The break-the-rule suite of issue 3 over HTTP: wrong passwords, expired/forged/revoked tokens, retired keys,
 * agents on ops endpoints, cookie POSTs without the CSRF token, 20 wrong passwords in a row.
 */
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
        user: {
          userName: fx.sue.userName,
          kind: 'user',
          ccid: fx.ccid,
          roles: ['supervisor'],
          permissions: ['applyNonDelete', 'decrypt'],
          accessGroups: ['/EMEA/Sales'],
          recordingWhen: 'voice',
          settings: { 'interaction-recording': { 'recording-when': 'voice', 'access-groups': '/EMEA/Sales' } },
        },
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

  // Lockout, concurrency and rate limits: test/e2e/login-protection.e2e-spec.ts.
  describe('brute-force protection', () => {
    it('locks a (name, source) pair after wrong passwords; the right one is refused there for a while, then works again', async () => {
      const source = sourceAddress(20);
      const messages: string[] = [];
      for (let i = 0; i < 7; i++) messages.push((await me(basicAuth(fx.sam.userName, `wrong-${i}`), source).expect(401)).body.statusMessage as string);
      expect(messages.slice(0, 5).every((m) => m === 'Invalid credentials.')).toBe(true);
      expect(messages[6]).toMatch(/^Too many failed sign-in attempts/);
      const right = await me(fx.sam.basic, source).expect(401);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      await me(fx.sue.basic, source).expect(200);
      await expectEventuallyOk(() => me(fx.sam.basic, source));
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
      for (let i = 0; i < 7; i++) answers.push((await me(basicAuth(ghost, 'guess'), sourceAddress(40)).expect(401)).body.statusMessage);
      expect(answers.slice(0, 5).every((m) => m === 'Invalid credentials.')).toBe(true);
      expect(answers[6]).toMatch(/^Too many failed sign-in attempts/);
    });
  });

});
