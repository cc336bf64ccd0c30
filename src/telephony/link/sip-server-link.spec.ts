import { createServer, Server, Socket } from 'node:net';
import { TlibLineDecoder } from '../tlib/tlib-codec';
import type { TlibMessage } from '../tlib/tlib-messages';
import { LinkListener } from './link-listener';
import { SipServerLink } from './sip-server-link';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** A scripted server: greets as told and hands each request to the test. */
async function fakeServer(greeting: 'connected' | 'disconnected', onRequest: (m: TlibMessage, reply: (o: object) => void, socket: Socket) => void = () => undefined) {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    let seq = 0;
    const reply = (o: object) => socket.write(JSON.stringify({ ...o, EventSequenceNumber: ++seq, ServerStartTime: 1 }) + '\n');
    reply({ message: greeting === 'connected' ? 'EventLinkConnected' : 'EventLinkDisconnected' });
    if (greeting === 'disconnected') socket.end();
    const decoder = new TlibLineDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) if (line.kind === 'message') onRequest(line.message, reply, socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    sockets,
    close: () => new Promise<void>((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    }),
  };
}

function recorder(overrides: Partial<LinkListener> = {}) {
  const log: string[] = [];
  const listener: LinkListener = {
    linkUp: (s) => log.push(`up ${s.serverStartTime}`),
    linkDown: (r) => log.push(`down ${r}`),
    message: (m) => log.push(m.message),
    resyncNeeded: (r) => log.push(`resync ${r}`),
    ...overrides,
  };
  return { log, listener };
}

async function until(probe: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const fast = { backoff: { initialMs: 10, maxMs: 50, factor: 2, jitter: 0 } };

describe('SipServerLink', () => {
  it('skips a server that is not in service and settles on the one that is', async () => {
    const standby = await fakeServer('disconnected');
    const active = await fakeServer('connected');
    const { log, listener } = recorder();
    const link = new SipServerLink({ ...fast, addresses: [{ host: '127.0.0.1', port: standby.port }, { host: '127.0.0.1', port: active.port }] }, listener, quiet);
    link.start();
    await until(() => link.isUp);
    expect(link.server?.address).toBe(`127.0.0.1:${active.port}`);
    expect(log).toEqual(['up 1']);
    await link.stop();
    expect(log).toEqual(['up 1', 'down link stopped']);
    await Promise.all([standby.close(), active.close()]);
  });

  it('matches answers by ReferenceID, times out, ignores late answers, and answers link-down when down', async () => {
    const held: { m: TlibMessage; reply: (o: object) => void }[] = [];
    const server = await fakeServer('connected', (m, reply) => held.push({ m, reply }));
    const { listener } = recorder();
    const link = new SipServerLink({ ...fast, addresses: [{ host: '127.0.0.1', port: server.port }] }, listener, quiet);
    expect(await link.request({ message: 'RequestRegisterAddress', ThisDN: '1' })).toEqual({ kind: 'link-down' });
    link.start();
    await until(() => link.isUp);
    const first = link.request({ message: 'RequestRegisterAddress', ThisDN: '7001' });
    const second = link.request({ message: 'RequestPrivateService', ThisDN: '7001', ConnID: '01', PrivateMsgID: 3015 }, 100);
    await until(() => held.length === 2);
    expect(held.map((h) => h.m.ReferenceID)).toEqual([1, 2]);
    held[0].reply({ message: 'EventRegistered', ReferenceID: 1, ThisDN: '7001', Calls: [] });
    expect(await first).toMatchObject({ kind: 'ack', event: { message: 'EventRegistered', ThisDN: '7001' } });
    expect(await second).toEqual({ kind: 'timeout', timeoutMs: 100 });
    held[1].reply({ message: 'EventError', ReferenceID: 2, ErrorCode: 102, ErrorMessage: 'late' });
    const third = link.request({ message: 'RequestPrivateService', ThisDN: '7001', ConnID: '01', PrivateMsgID: 3015 });
    await until(() => held.length === 3);
    held[2].reply({ message: 'EventError', ReferenceID: 3, ErrorCode: 102, ErrorMessage: 'No recording in progress' });
    expect(await third).toMatchObject({ kind: 'error', errorCode: 102, errorMessage: 'No recording in progress' });
    const pending = link.request({ message: 'RequestQueryAddress', ThisDN: '7001' });
    await until(() => held.length === 4);
    server.sockets.forEach((s) => s.destroy());
    expect(await pending).toEqual({ kind: 'link-down' });
    await link.stop();
    await server.close();
  });

  it('takes an agent event echoing the ReferenceID as the answer to an agent request, and still passes it on', async () => {
    const server = await fakeServer('connected', (m, reply) => reply({ message: 'EventAgentReady', ReferenceID: m.ReferenceID, ThisDN: m.ThisDN, AgentID: 'a1' }));
    const { log, listener } = recorder();
    const link = new SipServerLink({ ...fast, addresses: [{ host: '127.0.0.1', port: server.port }] }, listener, quiet);
    link.start();
    await until(() => link.isUp);
    expect(await link.request({ message: 'RequestAgentReady', ThisDN: '7001' }, 1000)).toMatchObject({ kind: 'ack', event: { message: 'EventAgentReady', AgentID: 'a1' } });
    expect(log).toContain('EventAgentReady');
    await link.stop();
    await server.close();
  });

  it('survives a listener that throws: the link stays up and asks for a resync', async () => {
    const server = await fakeServer('connected', (m, reply) => reply({ message: 'EventRegistered', ReferenceID: m.ReferenceID, ThisDN: m.ThisDN }));
    const { log, listener } = recorder({
      message: () => {
        throw new Error('consumer bug');
      },
    });
    const link = new SipServerLink({ ...fast, addresses: [{ host: '127.0.0.1', port: server.port }] }, listener, quiet);
    link.start();
    await until(() => link.isUp);
    expect((await link.request({ message: 'RequestRegisterAddress', ThisDN: '7001' })).kind).toBe('ack');
    expect(log).toEqual(['up 1', 'resync listener failure']);
    expect(link.isUp).toBe(true);
    await link.stop();
    await server.close();
  });

  it('reconnects when the server announces EventLinkDisconnected mid-session', async () => {
    const server = await fakeServer('connected', (_m, reply) => reply({ message: 'EventLinkDisconnected' }));
    const { log, listener } = recorder();
    const link = new SipServerLink({ ...fast, addresses: [{ host: '127.0.0.1', port: server.port }] }, listener, quiet);
    link.start();
    await until(() => link.isUp);
    void link.request({ message: 'RequestQueryAddress', ThisDN: '1' });
    await until(() => link.stats.connects >= 2 && link.isUp);
    expect(log.slice(0, 3)).toEqual(['up 1', expect.stringMatching(/^down /), 'up 1']);
    await link.stop();
    await server.close();
  });
});
