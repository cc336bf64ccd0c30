import request from 'supertest';
import WebSocket from 'ws';
import { NOTIFICATIONS_PATH } from '../../src/desktop/notifications.gateway';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import { RecordersService } from '../../src/recorders/recorders.service';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

jest.setTimeout(60_000);

const FOREIGN = 'https://attacker.example';

/** Opens a WebSocket and reports the handshake's outcome: 101 (then closes it) or the refusal's status and body. */
function handshake(url: string, headers: Record<string, string>): Promise<{ status: number; body?: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101 });
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    ws.on('error', (err) => reject(err));
  });
}

async function sessionCookieOf(app: TestApp, user: TestUser): Promise<string> {
  const res = await request(app.url).get('/api/v2/me').set('Authorization', user.basic).expect(200);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('JSESSIONID='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/**
 * Issue 13 finding 6: a page of another site opening the recorder channel or the notifications channel with
 * the agent's session cookie is refused (403) and cannot replace the agent's real recorder; Basic/Bearer
 * upgrades are not affected; RWS_ALLOWED_ORIGINS names the other origins that may.
 */
describe('WebSocket upgrades authenticated by the session cookie', () => {
  let app: TestApp;
  let ccid: string;
  let agent: TestUser;
  let cookie: string;
  let ws: string;

  beforeAll(async () => {
    app = await startTestApp(testConfig());
    ccid = await createContactCenter(app);
    agent = await createUser(app, ccid, 'agent', { roles: ['agent'], agentId: 'a-origin', agentHierarchy: '/EMEA/agent' });
    cookie = await sessionCookieOf(app, agent);
    ws = app.url.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a foreign Origin with a valid cookie is refused and leaves the real recorder connected', async () => {
    const real = new RecorderClient({ url: `${ws}${RECORDER_CHANNEL_PATH}`, authorization: agent.basic, hello: { clientVersion: '1.0.0', platform: 'test-os' }, reconnect: false });
    const welcome = await real.connect();
    let closedWith: number | undefined;
    real.on('disconnected', (e: { code: number }) => (closedWith = e.code));

    const attempts: Record<string, string>[] = [{ Cookie: cookie, Origin: FOREIGN }, { Cookie: cookie, Origin: 'null' }, { Cookie: cookie, Origin: 'http://127.0.0.1.attacker.example' }];
    for (const headers of attempts) {
      const refused = await handshake(`${ws}${RECORDER_CHANNEL_PATH}`, headers);
      expect(refused).toEqual({ status: 403, body: { statusCode: 5, statusMessage: 'Cross-site WebSocket request refused: Origin not allowed.' } });
    }
    // A round trip on the HTTP API later, the real recorder is still the agent's one.
    await request(app.url).get('/health/live').expect(200);
    expect(real.connected).toBe(true);
    expect(closedWith).toBeUndefined();
    const service = app.app.get(RecordersService);
    expect(service.recorderOf({ ccid, userName: agent.userName, agentId: 'a-origin' })?.sessionId).toBe(welcome.sessionId);

    // The agent's own page (same origin) may use the cookie — and replaces the recorder as designed.
    expect(await handshake(`${ws}${RECORDER_CHANNEL_PATH}`, { Cookie: cookie, Origin: app.url })).toEqual({ status: 101 });
    await real.close();
  });

  it('the notifications channel refuses a foreign Origin riding the cookie, and accepts the same origin', async () => {
    expect((await handshake(`${ws}${NOTIFICATIONS_PATH}`, { Cookie: cookie, Origin: FOREIGN })).status).toBe(403);
    expect((await handshake(`${ws}${NOTIFICATIONS_PATH}`, { Cookie: cookie, Origin: 'null' })).status).toBe(403);
    expect(await handshake(`${ws}${NOTIFICATIONS_PATH}`, { Cookie: cookie, Origin: app.url })).toEqual({ status: 101 });
    // No Origin at all is not a browser (a page cannot remove it): not a cross-site request.
    expect(await handshake(`${ws}${NOTIFICATIONS_PATH}`, { Cookie: cookie })).toEqual({ status: 101 });
  });

  it('upgrades with their own credentials (Basic) are not affected by Origin', async () => {
    expect(await handshake(`${ws}${NOTIFICATIONS_PATH}`, { Authorization: agent.basic, Origin: FOREIGN })).toEqual({ status: 101 });
    expect(await handshake(`${ws}${NOTIFICATIONS_PATH}`, { Authorization: agent.basic })).toEqual({ status: 101 });
  });
});

describe('RWS_ALLOWED_ORIGINS', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_ALLOWED_ORIGINS: 'https://desk.example.com, http://localhost:3000' } }));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets only the listed origins use the cookie', async () => {
    const agent = await createUser(app, await createContactCenter(app), 'agent', { roles: ['agent'], agentId: 'a-listed' });
    const cookie = await sessionCookieOf(app, agent);
    const url = `${app.url.replace(/^http/, 'ws')}${NOTIFICATIONS_PATH}`;
    expect((await handshake(url, { Cookie: cookie, Origin: 'https://desk.example.com' })).status).toBe(101);
    expect((await handshake(url, { Cookie: cookie, Origin: 'http://localhost:3000' })).status).toBe(101);
    expect((await handshake(url, { Cookie: cookie, Origin: app.url })).status).toBe(403);
    expect((await handshake(url, { Cookie: cookie, Origin: FOREIGN })).status).toBe(403);
  });

  it('refuses to start on an entry that is not an origin', () => {
    expect(() => testConfig({ env: { RWS_ALLOWED_ORIGINS: 'https://desk.example.com/app' } })).toThrow(/RWS_ALLOWED_ORIGINS: "https:\/\/desk.example.com\/app"/);
  });
});

describe('RWS_PUBLIC_URL and cookie WebSockets', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_PUBLIC_URL: 'https://rws.example.com' } }));
  });

  afterAll(async () => {
    await app?.close();
  });

  it("lets pages of the public URL's origin use the cookie, besides the request's own origin", async () => {
    const agent = await createUser(app, await createContactCenter(app), 'agent', { roles: ['agent'], agentId: 'a-public' });
    const cookie = await sessionCookieOf(app, agent);
    const url = `${app.url.replace(/^http/, 'ws')}${NOTIFICATIONS_PATH}`;
    expect((await handshake(url, { Cookie: cookie, Origin: 'https://rws.example.com' })).status).toBe(101);
    expect((await handshake(url, { Cookie: cookie, Origin: app.url })).status).toBe(101);
    expect((await handshake(url, { Cookie: cookie, Origin: 'https://rws.example.com.attacker.example' })).status).toBe(403);
  });
});
