import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { createContactCenter, createIdentityFixture, createUser, IdentityFixture, sourceAddress } from '../support/identity-fixtures';

jest.setTimeout(120_000);

const LOCKED = /^Too many failed sign-in attempts/;

/**
 * Issue 13 finding 4 over HTTP: guesses cannot race the lockout, a stranger's guesses lock only the stranger's
 * own source (never the ops account or a service account for everyone), RWS_TRUSTED_PROXIES decides whose
 * X-Forwarded-For counts, and password checks are rate limited per source with 429 + Retry-After.
 */
describe('login protection over HTTP', () => {
  let app: TestApp;
  let fx: IdentityFixture;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_LOGIN_MAX_FAILURES_PER_SOURCE: '8' } }));
    fx = await createIdentityFixture(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const me = (auth: string, source: string) => request(app.url).get('/api/v2/me').set('Authorization', auth).set('X-Forwarded-For', source);

  it('counts guesses in flight: 39 concurrent wrong passwords, then the right one, run at most 5 checks and never succeed', async () => {
    const source = sourceAddress(101);
    let firstAnswer!: () => void;
    const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
    const guesses = Array.from({ length: 39 }, (_, i) =>
      me(basicAuth(fx.sam.userName, `wrong-${i}`), source).then((res) => {
        firstAnswer();
        return res;
      }),
    );
    // The 40th attempt goes out once the server has answered one of the 39 (so it arrives after them).
    await answered;
    const right = await me(fx.sam.basic, source);
    const answers = await Promise.all(guesses);

    expect(right.status).toBe(401);
    expect(right.body.statusMessage).toMatch(LOCKED);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(answers.every((res) => res.status === 401)).toBe(true);
    const checked = answers.filter((res) => res.body.statusMessage === 'Invalid credentials.').length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    // Only that source is locked: the owner signs in from anywhere else.
    await me(fx.sam.basic, sourceAddress(102)).expect(200);
  });

  it('a stranger cannot lock out the ops account or a service account: only the stranger’s source is locked', async () => {
    const stranger = sourceAddress(110);
    for (const [userName, auth] of [
      [app.config.ops.username!, app.opsAuth],
      [fx.processor.userName, fx.processor.basic],
    ]) {
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) answers.push((await me(basicAuth(userName, `guess-${i}`), stranger).expect(401)).body.statusMessage);
      expect(answers[5]).toMatch(LOCKED);
      await me(auth, sourceAddress(111)).expect(200);
    }
  });

  it('a source spraying names is locked for new credentials, not for one it had already proven, nor for tokens', async () => {
    const shared = sourceAddress(120);
    await me(fx.bob.basic, shared).expect(200);
    const token = (await request(app.url).post('/api/v2/auth/token').set('X-Forwarded-For', shared).send({ userName: fx.pat.userName, password: fx.pat.password }).expect(200)).body
      .access_token as string;
    for (let i = 0; i < 8; i++) await me(basicAuth(`spray-${i}-${randomUUID().slice(0, 4)}`, 'guess'), shared).expect(401);
    expect((await me(fx.alice.basic, shared).expect(401)).body.statusMessage).toMatch(LOCKED);
    await me(fx.bob.basic, shared).expect(200);
    await me(`Bearer ${token}`, shared).expect(200);
    await me(fx.alice.basic, sourceAddress(121)).expect(200);
  });

  it('a client opening many connections at once with the right credential is let in on every one of them', async () => {
    // One check shared by identical presentations: 20 at once must not use up the in-flight budget of 5.
    const source = sourceAddress(140);
    const answers = await Promise.all(Array.from({ length: 20 }, () => me(fx.cryptoService.basic, source)));
    expect(answers.map((res) => res.status)).toEqual(Array.from({ length: 20 }, () => 200));
    // Again, now that the credential is in the verified cache (its own path past the pair's lock).
    const cached = await Promise.all(Array.from({ length: 20 }, () => me(fx.cryptoService.basic, source)));
    expect(cached.map((res) => res.status)).toEqual(Array.from({ length: 20 }, () => 200));
  });

  it('the token endpoint counts in flight too', async () => {
    const source = sourceAddress(130);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(app.url).post('/api/v2/auth/token').set('X-Forwarded-For', source).send({ userName: fx.sue.userName, password: `wrong-${i}` }),
      ),
    );
    expect(answers.filter((res) => res.body.statusMessage === 'Invalid credentials.').length).toBeLessThanOrEqual(5);
    expect(answers.some((res) => LOCKED.test(res.body.statusMessage))).toBe(true);
  });
});

describe('RWS_TRUSTED_PROXIES', () => {
  let app: TestApp;

  afterEach(async () => {
    await app?.close();
  });

  /** The source a failed sign-in is counted and audited under, when the request claims to come from 192.0.2.44. */
  async function sourceOfClaimedAddress(): Promise<string> {
    const ccid = await createContactCenter(app);
    const sue = await createUser(app, ccid, 'sue', { roles: ['supervisor'] });
    const from = new Date(Date.now() - 60_000).toISOString();
    await request(app.url).get('/api/v2/me').set('X-Forwarded-For', '192.0.2.44').set('Authorization', basicAuth(sue.userName, 'wrong')).expect(401);
    const audit = await request(app.url).get(`/api/v2/ops/contact-centers/${ccid}/audit-log`).query({ from, userName: sue.userName }).set('Authorization', app.opsAuth).expect(200);
    const failed = audit.body.entries.find((e: { action: string; outcome: string }) => e.action === 'login' && e.outcome === 'failed');
    return failed.source as string;
  }

  it('believes X-Forwarded-For from loopback by default (a reverse proxy on the same host)', async () => {
    app = await startTestApp(testConfig());
    expect(await sourceOfClaimedAddress()).toBe('192.0.2.44');
  });

  it('"none" ignores X-Forwarded-For: a client cannot pick the counter its attempts land on', async () => {
    app = await startTestApp(testConfig({ env: { RWS_TRUSTED_PROXIES: 'none' } }));
    expect(await sourceOfClaimedAddress()).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('a list naming other hops does not trust the loopback peer', async () => {
    app = await startTestApp(testConfig({ env: { RWS_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7' } }));
    expect(await sourceOfClaimedAddress()).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('refuses to start on an entry that is not an address, a CIDR or a range name', () => {
    expect(() => testConfig({ env: { RWS_TRUSTED_PROXIES: 'loopback, proxy.example.com, 10.0.0.0/99' } })).toThrow(
      /RWS_TRUSTED_PROXIES: "proxy.example.com"[\s\S]*RWS_TRUSTED_PROXIES: "10.0.0.0\/99"/,
    );
  });
});

describe('per-source rate limit on password checks', () => {
  let app: TestApp;
  let fx: IdentityFixture;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_LOGIN_RATE_LIMIT_PER_MINUTE: '12' } }));
    fx = await createIdentityFixture(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 with Retry-After in the envelope on Basic and on the token endpoint; other sources and verified credentials go on', async () => {
    const source = sourceAddress(150);
    await request(app.url).get('/api/v2/me').set('Authorization', fx.processor.basic).set('X-Forwarded-For', source).expect(200);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await request(app.url).get('/api/v2/me').set('Authorization', basicAuth(`nobody-${i}-${randomUUID().slice(0, 4)}`, 'x')).set('X-Forwarded-For', source);
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await request(app.url).post('/api/v2/auth/token').set('X-Forwarded-For', source).send({ userName: fx.sue.userName, password: fx.sue.password }).expect(429);
    expect(limited.body).toEqual({ statusCode: 10, statusMessage: expect.stringMatching(/^Too many sign-in requests/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The Recording Processor's already-verified Basic credential is not a password check.
    await request(app.url).get('/api/v2/me').set('Authorization', fx.processor.basic).set('X-Forwarded-For', source).expect(200);
    await request(app.url).post('/api/v2/auth/token').set('X-Forwarded-For', sourceAddress(151)).send({ userName: fx.sue.userName, password: fx.sue.password }).expect(200);
    const metrics = await request(app.url).get('/metrics').expect(200);
    expect(Number(/rws_auth_failures_total\{reason="rate_limited"\} (\d+)/.exec(metrics.text)?.[1] ?? 0)).toBeGreaterThan(0);
  });

  it('counts an IPv6 client by its /64: rotating addresses inside it does not reset the budget', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 14; i++) {
      const res = await request(app.url).get('/api/v2/me').set('Authorization', basicAuth(`v6-${i}-${randomUUID().slice(0, 4)}`, 'x')).set('X-Forwarded-For', `2001:db8:1:2::${i.toString(16)}`);
      statuses.push(res.status);
    }
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});
