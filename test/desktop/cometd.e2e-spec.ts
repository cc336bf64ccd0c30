import request from 'supertest';
import WebSocket from 'ws';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { runCommand } from '../../tools/sipserver-sim';
import { CometdDesktop, CometdTransport } from '../support/cometd-desktop';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { createDesk, uniqueDn } from '../support/telephony-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * CometD (Bayeux 1.0) at /api/v2/notifications, driven by the official CometD JavaScript client over both
 * transports, as GWS desktops use it (compat.md §5).
 */
describe('CometD desktop notifications', () => {
  let rws: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let sim: Parameters<typeof runCommand>[0];
  let ccid: string;
  const clients: CometdDesktop[] = [];
  const url = () => `${rws.url}/api/v2/notifications`;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    ccid = await createContactCenter(rws);
    await request(rws.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: ['/api/api-voice-recording'] }).expect(200);
    [alice, bob] = await Promise.all([
      createUser(rws, ccid, 'cometd-alice', { roles: ['agent'], agentId: 'a-cometd-alice' }),
      createUser(rws, ccid, 'cometd-bob', { roles: ['agent'], agentId: 'a-cometd-bob' }),
    ]);
    sim = rws.app.get(EmbeddedSimulator).simulator!.sim;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  });
  afterAll(() => rws.close());

  function desktop(user: TestUser, transport: CometdTransport, channels = ['/v2/me/calls']): CometdDesktop {
    const client = new CometdDesktop({ url: url(), transport, authorization: user.basic, channels });
    clients.push(client);
    return client;
  }

  /** A new desk (DN + place) of the contact center, and the user's session at that place. */
  async function sessionOnNewDn(user: TestUser): Promise<string> {
    const dn = uniqueDn();
    const place = await createDesk(rws, ccid, dn);
    await runCommand(sim, 'dn', { number: dn });
    await request(rws.url).post('/api/v2/me').set('Authorization', user.basic).send({ operationName: 'StartContactCenterSession', channels: ['voice'], place }).expect(200);
    return dn;
  }

  describe.each(['websocket', 'long-polling'] as const)('over %s', (transport) => {
    it('handshakes, connects, subscribes and receives only its own agent’s call messages in GWS’s shape', async () => {
      const aliceDesktop = desktop(alice, transport);
      const bobDesktop = desktop(bob, transport);
      const handshake = await aliceDesktop.waitFor((e) => e.event === 'handshake', 'handshake');
      expect(handshake).toMatchObject({ successful: true, transport, advice: { reconnect: 'retry', interval: 0, timeout: 30_000 } });
      await aliceDesktop.waitFor((e) => e.event === 'connect' && e.successful === true, 'connected');
      await aliceDesktop.waitFor((e) => e.event === 'subscribe' && e.channel === '/v2/me/calls' && e.successful === true, 'subscribed');
      await bobDesktop.waitFor((e) => e.event === 'subscribe' && e.successful === true, 'bob subscribed');

      const dn = await sessionOnNewDn(alice);
      const call = (await runCommand(sim, 'call', { from: '+15550001', to: dn })) as { connId: string; callUuid: string };
      await runCommand(sim, 'answer', { call: call.connId, dn });
      const established = await aliceDesktop.waitFor((e) => e.event === 'message' && e.data.call.state === 'Established', 'Established call');
      expect(established.data).toMatchObject({
        messageType: 'CallStateChangeMessage',
        notificationType: 'StatusChange',
        call: {
          id: call.callUuid,
          callUuid: call.callUuid,
          connId: call.connId,
          state: 'Established',
          participants: [{ phoneNumber: '+15550001', digits: '+15550001', formattedPhoneNumber: '+15550001' }],
          recordingState: 'Stopped',
          capabilities: ['StartCallRecording'],
        },
      });

      await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', alice.basic).send({ operationName: 'StartCallRecording' }).expect(200);
      await aliceDesktop.waitFor((e) => e.event === 'message' && e.data.notificationType === 'CallRecordingStateChange' && e.data.call.recordingState === 'Recording');
      await runCommand(sim, 'release', { call: call.connId });
      await aliceDesktop.waitFor((e) => e.event === 'message' && e.data.call.state === 'Released', 'Released call');
      // Bob was connected and subscribed to the same channel the whole time and heard nothing of Alice's call.
      expect(bobDesktop.messages('/v2/me/calls')).toEqual([]);
      await request(rws.url).post('/api/v2/me').set('Authorization', alice.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);
    });

    it('refuses subscriptions outside the notification channels, and unsubscribes', async () => {
      const client = desktop(alice, transport, ['/service/secret', '/v2/me/*']);
      await client.waitFor((e) => e.event === 'subscribe' && e.channel === '/service/secret', 'refused subscription');
      expect(client.events.find((e) => e.channel === '/service/secret')).toMatchObject({ successful: false, error: '403::Forbidden channel' });
      await client.waitFor((e) => e.event === 'subscribe' && e.channel === '/v2/me/*' && e.successful === true);
      client.send({ unsubscribe: '/v2/me/*' });
      await client.waitFor((e) => e.event === 'unsubscribe' && e.successful === true);
    });
  });

  it('refuses a handshake without credentials on both transports (401 like every endpoint)', async () => {
    await request(rws.url).post('/api/v2/notifications').send([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]).expect(401);
    const ws = new WebSocket(url().replace(/^http/, 'ws'));
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('open', () => resolve(101)));
    expect(status).toBe(401);
  });

  it('speaks Bayeux to raw long-polling: advice, held connect, 402 for unknown, foreign or disconnected client ids', async () => {
    const post = (user: TestUser, body: unknown, path = '/api/v2/notifications') => request(rws.url).post(path).set('Authorization', user.basic).send(body as object);
    const handshake = await post(alice, [{ channel: '/meta/handshake', id: '1', version: '1.0', supportedConnectionTypes: ['long-polling'] }], '/api/v2/notifications/handshake').expect(200);
    expect(handshake.body).toEqual([
      {
        channel: '/meta/handshake',
        id: '1',
        clientId: expect.any(String),
        successful: true,
        version: '1.0',
        supportedConnectionTypes: ['websocket', 'long-polling'],
        advice: { reconnect: 'retry', interval: 0, timeout: 30_000 },
      },
    ]);
    const clientId = handshake.body[0].clientId as string;
    const connect = await post(alice, [{ channel: '/meta/connect', id: '2', clientId, connectionType: 'long-polling' }]).expect(200);
    expect(connect.body).toEqual([{ channel: '/meta/connect', id: '2', clientId, successful: true, advice: { reconnect: 'retry', interval: 0, timeout: 30_000 } }]);

    // Another user presenting Alice's client id is told the client does not exist.
    const stolen = await post(bob, [{ channel: '/meta/subscribe', id: '3', clientId, subscription: '/v2/me/calls' }]).expect(200);
    expect(stolen.body[0]).toMatchObject({ successful: false, error: '402::Unknown client', advice: { reconnect: 'handshake' } });

    // A held connect ends early with the message it was waiting for.
    await post(alice, [{ channel: '/meta/subscribe', id: '4', clientId, subscription: '/v2/me/devices' }]).expect(200);
    const held = post(alice, [{ channel: '/meta/connect', id: '5', clientId, connectionType: 'long-polling' }]);
    const heldResponse = held.then((r) => r);
    const dn = await sessionOnNewDn(alice);
    await runCommand(sim, 'login', { dn, agentId: 'a-cometd-alice' });
    const delivered = await heldResponse;
    expect(delivered.body.map((m: { channel: string }) => m.channel)).toEqual(['/v2/me/devices', '/meta/connect']);
    await request(rws.url).post('/api/v2/me').set('Authorization', alice.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);

    const disconnected = await post(alice, [{ channel: '/meta/disconnect', id: '6', clientId }]).expect(200);
    expect(disconnected.body).toEqual([{ channel: '/meta/disconnect', id: '6', clientId, successful: true }]);
    const after = await post(alice, [{ channel: '/meta/connect', id: '7', clientId, connectionType: 'long-polling' }]).expect(200);
    expect(after.body[0]).toMatchObject({ successful: false, error: '402::Unknown client', advice: { reconnect: 'handshake', interval: 0 } });

    const publish = await post(alice, [{ channel: '/v2/me/calls', clientId, data: {} }]).expect(200);
    expect(publish.body[0]).toMatchObject({ successful: false, error: '403::Publish denied' });
    const notBayeux = await post(alice, { hello: 'world' }).expect(400);
    expect(notBayeux.body.statusCode).toBe(2);
  });

  it('does not let a WebSocket of another user use a client id, nor accounts that are not agents change an agent state', async () => {
    const handshake = await request(rws.url)
      .post('/api/v2/notifications')
      .set('Authorization', alice.basic)
      .send([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['websocket'] }])
      .expect(200);
    const clientId = handshake.body[0].clientId as string;
    const bobSocket = new WebSocket(url().replace(/^http/, 'ws'), { headers: { Authorization: bob.basic } });
    await new Promise((resolve, reject) => bobSocket.once('open', resolve).once('error', reject));
    const answer = new Promise<unknown[]>((resolve) => bobSocket.once('message', (m) => resolve(JSON.parse(m.toString()))));
    bobSocket.send(JSON.stringify([{ channel: '/meta/subscribe', id: '1', clientId, subscription: '/v2/me/calls' }]));
    expect(await answer).toEqual([expect.objectContaining({ id: '1', successful: false, error: '402::Unknown client' })]);
    const garbage = new Promise<number>((resolve) => bobSocket.once('close', (code) => resolve(code)));
    bobSocket.send('not json');
    expect(await garbage).toBe(1007);

    await request(rws.url).post('/api/v2/me').set('Authorization', rws.opsAuth).send({ operationName: 'Ready' }).expect(403);
    const metrics = await fetch(`${rws.url}/metrics`, { headers: { authorization: rws.opsAuth } }).then((r) => r.text());
    expect(metrics).toMatch(/rws_bayeux_sessions [1-9]/);
  });

  it('applies the session cookie’s CSRF rule to long-polling, like every other POST', async () => {
    const me = await request(rws.url).get('/api/v2/me').set('Authorization', alice.basic).expect(200);
    const cookie = (me.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const token = me.headers['x-csrf-token'];
    const body = [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }];
    await request(rws.url).post('/api/v2/notifications').set('Cookie', cookie).send(body).expect(403);
    const accepted = await request(rws.url).post('/api/v2/notifications').set('Cookie', cookie).set('X-CSRF-TOKEN', token).send(body).expect(200);
    expect(accepted.body[0].successful).toBe(true);

    const client = new CometdDesktop({ url: url(), transport: 'long-polling', cookie, csrfToken: token, channels: ['/v2/me/calls'] });
    clients.push(client);
    await client.waitFor((e) => e.event === 'subscribe' && e.successful === true, 'subscribed with the session cookie');

    // A WebSocket cannot carry the CSRF token: with the cookie alone, only a page of the same origin (or a
    // client that names none) may open one — a foreign page riding on the cookie is refused.
    const upgrade = (origin?: string) => {
      const ws = new WebSocket(url().replace(/^http/, 'ws'), { headers: { Cookie: cookie, ...(origin ? { Origin: origin } : {}) } });
      return new Promise<number>((resolve) =>
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('open', () => {
          ws.close();
          resolve(101);
        }),
      );
    };
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('null')).toBe(403);
    expect(await upgrade(rws.url)).toBe(101);
    expect(await upgrade()).toBe(101);
  });

  it('keeps plain notification sockets working beside CometD clients on the same path', async () => {
    const plain = new WebSocket(url().replace(/^http/, 'ws'), { headers: { Authorization: alice.basic } });
    const frames: { channel: string; data: { call: { callUuid: string } } }[] = [];
    plain.on('message', (m) => frames.push(JSON.parse(m.toString())));
    await new Promise((resolve, reject) => plain.once('open', resolve).once('error', reject));
    const cometd = desktop(alice, 'websocket');
    await cometd.waitFor((e) => e.event === 'subscribe' && e.successful === true);

    const dn = await sessionOnNewDn(alice);
    const call = (await runCommand(sim, 'call', { from: '+15550002', to: dn })) as { connId: string; callUuid: string };
    await expectEventually(() => expect(frames.some((f) => f.channel === '/v2/me/calls' && f.data.call.callUuid === call.callUuid)).toBe(true));
    await cometd.waitFor((e) => e.event === 'message' && e.data.call.callUuid === call.callUuid);
    // A plain subscriber that sends anything that is not Bayeux is still refused as before.
    const closed = new Promise<number>((resolve) => plain.once('close', (code) => resolve(code)));
    plain.send('hello');
    expect(await closed).toBe(1003);
    await runCommand(sim, 'release', { call: call.connId });
    await request(rws.url).post('/api/v2/me').set('Authorization', alice.basic).send({ operationName: 'EndContactCenterSession' }).expect(200);
  });
});
