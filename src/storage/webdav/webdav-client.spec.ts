import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DependencyUnavailableException } from '../../common/errors/rws.exception';
import { StorageAccessDeniedException, StorageFailureException, StorageLengthMismatchException, StorageObjectExistsException } from '../storage.exception';
import { WebDavClient } from './webdav-client';

/**
 * Protocol edge cases a real Apache does not produce on demand (ignoring Range or Expect, stalling, dropping
 * the connection), against a scripted node:http server. Normal behaviour is covered against Apache by
 * test/contract/recording-storage.contract-spec.ts.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('WebDavClient against a scripted server', () => {
  let server: Server;
  let handler: Handler;
  let base: string;
  let client: WebDavClient;
  const requests: string[] = [];

  beforeEach(async () => {
    requests.length = 0;
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      handler(req, res);
    });
    // Like Apache: no automatic "100 Continue"; a handler sends it when it wants the body (res.writeContinue()).
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => server.emit('request', req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dav/`;
    client = new WebDavClient({ url: base, username: 'u', password: 'p' }, { timeoutMs: 2000, continueTimeoutMs: 200 });
  });

  afterEach(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const body = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));

  it('slices the asked range when the server answers 200 to a Range request, and stops reading', async () => {
    let upstreamClosedEarly = false;
    const size = 1024 * 1024 * 1024;
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': size });
      res.on('close', () => (upstreamClosedEarly = !res.writableFinished));
      res.write(body);
      const filler = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(filler));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const download = await client.get('a.bin', { start: 1000, end: 1999 });
    expect(download.size).toBe(size);
    expect(download.range).toEqual({ start: 1000, end: 1999 });
    expect(await collect(download.stream)).toEqual(body.subarray(1000, 2000));
    await waitFor(() => upstreamClosedEarly);
  });

  it('destroys the upstream request when the reader gives up', async () => {
    let upstreamClosed = false;
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': 1024 * 1024 * 1024 });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => (upstreamClosed = true));
      pump();
    };
    const download = await client.get('big.bin');
    for await (const chunk of download.stream) {
      expect(chunk.length).toBeGreaterThan(0);
      break; // leaving the loop destroys the stream
    }
    await waitFor(() => upstreamClosed);
  });

  it('reports a refused connection as WebDAV unavailable', async () => {
    const closed = new WebDavClient({ url: 'http://127.0.0.1:1/dav/' });
    await expect(closed.head('x')).rejects.toBeInstanceOf(DependencyUnavailableException);
    closed.close();
  });

  it('reports a server that never answers as WebDAV unavailable', async () => {
    handler = () => undefined; // accept, never answer
    const slow = new WebDavClient({ url: base }, { timeoutMs: 300 });
    await expect(slow.get('x')).rejects.toBeInstanceOf(DependencyUnavailableException);
    slow.close();
  });

  it('reports refused credentials as a storage access error', async () => {
    handler = (_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
    await expect(client.head('x')).rejects.toBeInstanceOf(StorageAccessDeniedException);
  });

  it('sends Basic credentials and percent-encodes segments', async () => {
    let auth: string | undefined;
    handler = (req, res) => {
      auth = req.headers.authorization;
      res.writeHead(404).end();
    };
    await expect(client.head('a b/c%d')).resolves.toBeUndefined();
    expect(auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(requests).toEqual(['HEAD /dav/a%20b/c%25d']);
  });

  it('refuses an existing object without reading the body', async () => {
    handler = (req, res) => {
      if (req.method === 'MKCOL') return void res.writeHead(405).end();
      res.writeHead(412).end();
    };
    let pulled = false;
    const source = new Readable({
      read() {
        pulled = true;
        this.push(null);
      },
    });
    await expect(client.put('dir/x.bin', source, { contentLength: 10 })).rejects.toBeInstanceOf(StorageObjectExistsException);
    expect(pulled).toBe(false);
    expect(requests).toEqual(['MKCOL /dav/dir/', 'PUT /dav/dir/x.bin']);
  });

  it('sends the body anyway when the server ignores Expect: 100-continue', async () => {
    let received = 0;
    handler = (req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.writeHead(201).end());
    };
    const result = await client.put('x.bin', Readable.from([body]), { contentLength: body.length });
    expect(result.bytesSent).toBe(body.length);
    expect(received).toBe(body.length);
  });

  it('fails with the source error when the body breaks midway, and removes what may have been stored', async () => {
    let putAborted = false;
    handler = (req, res) => {
      if (req.method === 'DELETE') return void res.writeHead(404).end();
      res.writeContinue();
      req.on('aborted', () => (putAborted = true));
      req.resume();
    };
    const broken = new Error('source broke');
    const source = Readable.from(
      (async function* () {
        yield body;
        throw broken;
      })(),
    );
    await expect(client.put('x.bin', source)).rejects.toBe(broken);
    await waitFor(() => putAborted);
    expect(requests).toEqual(['PUT /dav/x.bin', 'DELETE /dav/x.bin']);
  });

  it('refuses a body shorter or longer than its declared length', async () => {
    handler = (req, res) => {
      if (req.method === 'DELETE') return void res.writeHead(404).end();
      res.writeContinue();
      req.resume();
    };
    await expect(client.put('short.bin', Readable.from([body]), { contentLength: body.length + 1 })).rejects.toBeInstanceOf(StorageLengthMismatchException);
    await expect(client.put('long.bin', Readable.from([body]), { contentLength: body.length - 1 })).rejects.toBeInstanceOf(StorageLengthMismatchException);
  });

  it('refuses a 206 answer for another range than asked', async () => {
    handler = (_req, res) => res.writeHead(206, { 'Content-Range': 'bytes 0-9/100', 'Content-Length': 10 }).end(Buffer.alloc(10));
    await expect(client.get('x', { start: 5, end: 14 })).rejects.toBeInstanceOf(StorageFailureException);
  });

  it('reports server errors as WebDAV unavailable', async () => {
    handler = (_req, res) => res.writeHead(503).end();
    await expect(client.delete('x')).rejects.toBeInstanceOf(DependencyUnavailableException);
  });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
