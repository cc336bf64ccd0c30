import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relayHttp } from './http-relay';

/** A server on a free loopback port; resolves its base URL. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('relayHttp (an agent’s desktop request relayed to its home node)', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  it('relays method, path, query, headers and body as they came, adds the hop header and this hop to X-Forwarded-For, and returns the answer with its cookies', async () => {
    const seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const home = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['JSESSIONID=abc; HttpOnly', 'CSRF=1'], 'keep-alive': 'timeout=5' });
        res.end('{"statusCode":0}');
      });
    });
    const front = await listen((req, res) => relayHttp(req, res, home.url, { 'x-rws-forwarded-by': 'node-a' }, () => res.end('unreachable')));
    servers.push(home.server, front.server);

    const answer = await fetch(`${front.url}/api/v2/me?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7', 'x-csrf-token': 'c' },
      body: '{"operationName":"Ready"}',
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('{"statusCode":0}');
    expect(answer.headers.getSetCookie()).toEqual(['JSESSIONID=abc; HttpOnly', 'CSRF=1']);
    expect(seen).toMatchObject({ method: 'POST', url: '/api/v2/me?x=1', body: '{"operationName":"Ready"}' });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer t', 'x-csrf-token': 'c', 'x-rws-forwarded-by': 'node-a', 'x-forwarded-for': '203.0.113.7, 127.0.0.1' });
  });

  it('answers through `unreachable` when the home refuses the connection', async () => {
    const gone = await listen(() => undefined);
    await new Promise((r) => gone.server.close(r));
    const front = await listen((req, res) =>
      relayHttp(req, res, gone.url, {}, () => {
        res.writeHead(503, { 'retry-after': '1' });
        res.end('home unreachable');
      }),
    );
    servers.push(front.server);
    const answer = await fetch(`${front.url}/api/v2/me/calls`);
    expect({ status: answer.status, retryAfter: answer.headers.get('retry-after'), body: await answer.text() }).toEqual({ status: 503, retryAfter: '1', body: 'home unreachable' });
  });
});
