import { request } from 'node:http';
import { RECORDER_CHANNEL_PATH } from '../../src/recorders/recorder-protocol';
import type { UpdateAvailableMessage, WelcomeMessage } from '../../src/recorders/recorder-protocol';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { basicAuth, expectEventually, startTestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { AGENTS, nextEvent, RecorderTestBed } from './recorder-fixtures';

/** Sends a WebSocket upgrade request by hand and returns the HTTP answer (status, headers, body). */
function upgradeRequest(url: string, authorization?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      path: RECORDER_CHANNEL_PATH,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        ...(authorization ? { Authorization: authorization } : {}),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('upgrade', () => reject(new Error('the server upgraded the connection')));
    req.on('error', reject);
    req.end();
  });
}

describe('recorder channel: connections', () => {
  const bed = new RecorderTestBed();

  beforeAll(() => bed.start());
  afterEach(() => bed.cleanUp());
  afterAll(() => bed.stop());

  it('refuses an upgrade without credentials, or with unknown ones, with 401 before any WebSocket exists', async () => {
    for (const authorization of [undefined, 'Bearer token-mallory', basicAuth('alice', 'wrong')]) {
      const answer = await upgradeRequest(bed.app.url, authorization);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(JSON.parse(answer.body)).toEqual({ statusCode: 1, statusMessage: 'Authentication required.' });
    }
    const client = bed.recorder('alice', { authorization: 'Bearer token-mallory', reconnect: false });
    const rejected = nextEvent<{ status: number }>(client, 'rejected');
    await expect(client.connect()).rejects.toThrow(/HTTP 401/);
    expect((await rejected).status).toBe(401);
  });

  it('answers 404 for an upgrade on another path', async () => {
    const { hostname, port } = new URL(bed.app.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ hostname, port, path: '/api/v2/nothing-here', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(404);
  });

  it('welcomes a recorder with its session, heartbeat, agent and an empty desired state, and starts the agent session', async () => {
    const client = bed.recorder('alice', { hello: { clientVersion: '1.0.0', platform: 'test-os', place: 'Place_7001', devices: [{ dn: '7001', switch: 'SIP_Switch' }] } });
    const welcome = await client.connect();
    expect(welcome).toEqual({
      type: 'welcome',
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      heartbeatIntervalMs: 2000,
      agent: { userName: 'alice', agentId: '7001' },
      desired: null,
    });
    expect(bed.service.recorderOf(AGENTS.alice)).toMatchObject({ sessionId: welcome.sessionId, clientVersion: '1.0.0', platform: 'test-os' });
    await expectEventually(() => expect(bed.sessions.started).toContainEqual({ userName: 'alice', place: 'Place_7001', devices: [{ dn: '7001', switch: 'SIP_Switch' }] }));
    const metrics = await (await fetch(`${bed.app.url}/metrics`)).text();
    expect(metrics).toMatch(/^rws_recorders_connected 1$/m);
  });

  it('keeps one recorder per agent: a newer connection replaces the older, which is closed with 4409 and stays off', async () => {
    const first = bed.recorder('alice');
    const firstWelcome = await first.connect();
    const closed = nextEvent<{ code: number }>(first, 'disconnected');
    const replaced = nextEvent(first, 'replaced');
    const second = bed.recorder('alice');
    const secondWelcome = await second.connect();
    expect((await closed).code).toBe(4409);
    await replaced;
    expect(secondWelcome.sessionId).not.toBe(firstWelcome.sessionId);

    const call = 'REPLACECALL0000000000000000000001';
    const command = nextEvent(second, 'command');
    bed.signal('started', 'alice', call);
    await command;
    expect(first.connected).toBe(false);
    expect(bed.service.recorderOf(AGENTS.alice)?.sessionId).toBe(secondWelcome.sessionId);
    bed.signal('stopped', 'alice', call);
  });

  it('pushes update-available to connected recorders of that platform that are behind, and to later ones on hello', async () => {
    const behind = bed.recorder('alice', { hello: { clientVersion: '1.0.0', platform: 'test-os' } });
    const current = bed.recorder('bob', { hello: { clientVersion: '2.0.0', platform: 'test-os' } });
    const otherPlatform = bed.recorder('carol', { hello: { clientVersion: '0.1.0', platform: 'other-os' } });
    await Promise.all([behind.connect(), current.connect(), otherPlatform.connect()]);
    const updates: Record<string, UpdateAvailableMessage[]> = { alice: [], bob: [], carol: [] };
    behind.on('update-available', (u: UpdateAvailableMessage) => updates.alice.push(u));
    current.on('update-available', (u: UpdateAvailableMessage) => updates.bob.push(u));
    otherPlatform.on('update-available', (u: UpdateAvailableMessage) => updates.carol.push(u));

    const release = { version: '2.0.0', platform: 'test-os', size: 1234, sha256: 'a'.repeat(64), url: `${bed.app.url}/api/v2/screen-recorder/releases/2.0.0/test-os` };
    expect(bed.service.announceRelease(release)).toBe(1);
    await expectEventually(() => expect(updates.alice).toEqual([{ type: 'update-available', ...release }]));
    // an older release changes nothing
    expect(bed.service.announceRelease({ ...release, version: '1.5.0' })).toBe(0);

    await behind.disconnect();
    const update = nextEvent<UpdateAvailableMessage>(behind, 'update-available');
    await behind.connect();
    expect(await update).toMatchObject({ version: '2.0.0' });
    expect(updates.bob).toEqual([]);
    expect(updates.carol).toEqual([]);
  });
});

describe('recorder channel: default authenticator (until identity binds agent users)', () => {
  it('lets the ops account connect over Basic as an agent named after it', async () => {
    const app = await startTestApp(testConfig());
    const client = new RecorderClient({
      url: `${app.url.replace(/^http/, 'ws')}${RECORDER_CHANNEL_PATH}`,
      authorization: app.opsAuth,
      hello: { clientVersion: '1.0.0', platform: 'test-os' },
      reconnect: false,
    });
    try {
      const welcome: WelcomeMessage = await client.connect();
      expect(welcome.agent).toEqual({ userName: 'ops', agentId: null });
      expect(welcome.heartbeatIntervalMs).toBe(30_000);
    } finally {
      await client.close();
      await app.close();
    }
  });
});
