import { asBayeuxBatch, BayeuxMessage, channelMatches, isValidChannel } from './bayeux-protocol';
import { BayeuxServer } from './bayeux-server';

const alice = { agentKey: 'cc/alice', userName: 'alice' };
const bob = { agentKey: 'cc/bob', userName: 'bob' };

describe('Bayeux protocol helpers', () => {
  it('matches channels exactly and with * (one segment) and ** (any depth)', () => {
    expect(channelMatches('/v2/me/calls', '/v2/me/calls')).toBe(true);
    expect(channelMatches('/v2/me/*', '/v2/me/calls')).toBe(true);
    expect(channelMatches('/v2/me/*', '/v2/me/calls/x')).toBe(false);
    expect(channelMatches('/v2/**', '/v2/me/calls/x')).toBe(true);
    expect(channelMatches('/v2/me/calls', '/v2/me/devices')).toBe(false);
  });

  it('accepts channel names with a trailing wildcard only', () => {
    expect(isValidChannel('/v2/me/calls')).toBe(true);
    expect(isValidChannel('/v2/**')).toBe(true);
    expect(isValidChannel('/v2/*/calls')).toBe(false);
    expect(isValidChannel('v2/me')).toBe(false);
    expect(isValidChannel('/v2//me')).toBe(false);
  });

  it('reads single messages and batches, and nothing that is not Bayeux', () => {
    expect(asBayeuxBatch({ channel: '/meta/handshake', id: 1 })).toEqual([{ channel: '/meta/handshake', id: '1' }]);
    expect(asBayeuxBatch([{ channel: '/meta/connect', clientId: 'x' }])).toHaveLength(1);
    for (const body of [[], 'hello', { hello: 1 }, [{ channel: 5 }], [{ channel: '/a', clientId: 3 }], new Array(33).fill({ channel: '/a' })]) {
      expect(asBayeuxBatch(body)).toBeUndefined();
    }
  });
});

describe('BayeuxServer', () => {
  let server: BayeuxServer;
  beforeEach(() => (server = new BayeuxServer()));
  afterEach(() => server.onModuleDestroy());

  const lp = (owner = alice, abort?: AbortSignal) => ({ owner, transport: 'long-polling' as const, abort });
  async function handshake(owner = alice): Promise<string> {
    const answer = await server.handle({ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }, lp(owner));
    return answer.clientId!;
  }

  it('refuses handshakes of another protocol version or without a common transport', async () => {
    expect(await server.handle({ channel: '/meta/handshake', version: '2.0', supportedConnectionTypes: ['long-polling'] }, lp())).toMatchObject({
      successful: false,
      error: '400::Unsupported version',
      advice: { reconnect: 'none' },
    });
    expect(await server.handle({ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['callback-polling'] }, lp())).toMatchObject({
      successful: false,
      error: '400::Unsupported connection type',
    });
    expect(server.sessionCount).toBe(0);
  });

  it('delivers a published message to the owner’s subscribed sessions only', async () => {
    const mine = await handshake(alice);
    const theirs = await handshake(bob);
    for (const clientId of [mine, theirs]) await server.handle({ channel: '/meta/subscribe', clientId, subscription: '/v2/me/calls' }, lp(clientId === mine ? alice : bob));
    server.publish(alice.agentKey, '/v2/me/calls', { n: 1 });
    server.publish(alice.agentKey, '/v2/me/devices', { n: 2 });
    expect(server.drainFor(mine, alice)).toEqual([{ channel: '/v2/me/calls', data: { n: 1 } }]);
    expect(server.drainFor(theirs, bob)).toEqual([]);
    // Another user cannot drain Alice's queue either.
    server.publish(alice.agentKey, '/v2/me/calls', { n: 3 });
    expect(server.drainFor(mine, bob)).toEqual([]);
  });

  it('ends a held connect when the client disconnects, and then no longer knows it', async () => {
    const clientId = await handshake();
    await server.handle({ channel: '/meta/connect', clientId, connectionType: 'long-polling' }, lp());
    const held = server.handle({ channel: '/meta/connect', clientId, connectionType: 'long-polling' }, lp());
    await server.handle({ channel: '/meta/disconnect', clientId }, lp());
    expect(await held).toMatchObject({ successful: false, error: '402::Unknown client' });
  });

  it('ends a held connect when its HTTP request closes', async () => {
    const clientId = await handshake();
    await server.handle({ channel: '/meta/connect', clientId, connectionType: 'long-polling' }, lp());
    const closed = new AbortController();
    const held = server.handle({ channel: '/meta/connect', clientId, connectionType: 'long-polling' }, lp(alice, closed.signal));
    closed.abort();
    expect(await held).toMatchObject({ successful: true });
  });

  it('forgets a session whose client stopped connecting for longer than maxInterval', async () => {
    const clientId = await handshake();
    (server as unknown as { sweep(now: number): void }).sweep(Date.now() + 11_000);
    const answer: BayeuxMessage = await server.handle({ channel: '/meta/connect', clientId, connectionType: 'long-polling' }, lp());
    expect(answer).toMatchObject({ successful: false, error: '402::Unknown client', advice: { reconnect: 'handshake' } });
  });

  it('keeps at most 32 sessions per user, forgetting the oldest', async () => {
    const first = await handshake();
    for (let i = 0; i < 32; i++) await handshake();
    expect(server.sessionCount).toBe(32);
    expect(await server.handle({ channel: '/meta/subscribe', clientId: first, subscription: '/v2/me/calls' }, lp())).toMatchObject({ error: '402::Unknown client' });
  });
});
