import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import net, { AddressInfo, Socket } from 'node:net';
import type { ByteRead, ByteSink } from '../byte-read';
import { DirectRangeGet, DirectRangeOpen } from './direct-range-get';

const object = randomBytes(3 * 1024 * 1024 + 17);

/** A local HTTP server standing in for WebDAV; `answer` decides each response. */
async function server(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; sockets: Set<Socket>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv = http.createServer(answer);
  srv.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return {
    port: (srv.address() as AddressInfo).port,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      srv.close();
      await once(srv, 'close');
    },
  };
}

/** Serves `object` by Range in pieces, like Apache (206, Content-Range, Content-Length). */
function rangeAnswer(req: IncomingMessage, res: ServerResponse): void {
  const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (!m || req.headers.authorization !== 'Basic dTpw') {
    res.writeHead(m ? 401 : 200, { 'Content-Length': 0 }).end();
    return;
  }
  const start = Number(m[1]);
  const end = Math.min(Number(m[2]), object.length - 1);
  res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${object.length}`, 'Content-Length': end - start + 1 });
  const body = object.subarray(start, end + 1);
  for (let i = 0; i < body.length; i += 100_000) res.write(body.subarray(i, i + 100_000));
  res.end();
}

/** Collects what a read delivers; `pauseEvery` makes the sink refuse more after that many bytes. */
function collect(read: ByteRead, pauseEvery = Infinity): Promise<Buffer> & { sink: ByteSink } {
  const parts: Buffer[] = [];
  let sinceResume = 0;
  let sink!: ByteSink;
  const done = new Promise<Buffer>((resolve, reject) => {
    sink = {
      write: (bytes) => {
        parts.push(Buffer.from(bytes));
        sinceResume += bytes.length;
        if (sinceResume < pauseEvery) return true;
        sinceResume = 0;
        setTimeout(() => read.resume(), 2);
        return false;
      },
      end: () => resolve(Buffer.concat(parts)),
      error: reject,
    };
  });
  read.start(sink);
  return Object.assign(done, { sink });
}

function opened(result: DirectRangeOpen): ByteRead {
  if (result.kind !== 'read') throw new Error('expected a read');
  return result.read;
}

describe('DirectRangeGet', () => {
  const auth = 'Basic dTpw';
  const options = { timeoutMs: 5_000, maxSockets: 4, bufferBytes: 64 * 1024 };
  let reader: DirectRangeGet;
  afterEach(() => reader?.close());

  it('reads ranges exactly, pausing when the sink asks, and reuses its kept-alive connection', async () => {
    const srv = await server(rangeAnswer);
    try {
      reader = new DirectRangeGet({ host: '127.0.0.1', port: srv.port, hostHeader: `127.0.0.1:${srv.port}` }, auth, options);
      const whole = await collect(opened(await reader.get('/o', { start: 0, end: object.length - 1 })), 300_000);
      expect(whole.equals(object)).toBe(true);
      const part = await collect(opened(await reader.get('/o', { start: 1_000_001, end: 1_500_000 })));
      expect(part.equals(object.subarray(1_000_001, 1_500_001))).toBe(true);
      // The end is clamped to the object, as HTTP does.
      const tail = await collect(opened(await reader.get('/o', { start: object.length - 10, end: object.length + 100 })));
      expect(tail.equals(object.subarray(object.length - 10))).toBe(true);
      expect(srv.sockets.size).toBe(1);
    } finally {
      await srv.close();
    }
  });

  it('answers `fallback` for anything but a plain 206 of the asked range', async () => {
    const answers: Array<(res: ServerResponse) => void> = [
      (res) => res.writeHead(200, { 'Content-Length': 3 }).end('abc'),
      (res) => res.writeHead(404, { 'Content-Length': 0 }).end(),
      (res) => res.writeHead(206, { 'Content-Range': `bytes 0-2/${object.length}` }).end('abc'), // chunked
      (res) => res.writeHead(206, { 'Content-Range': `bytes 1-3/${object.length}`, 'Content-Length': 3 }).end('abc'),
    ];
    let next = 0;
    const srv = await server((_req, res) => answers[next++](res));
    try {
      reader = new DirectRangeGet({ host: '127.0.0.1', port: srv.port, hostHeader: 'x' }, auth, options);
      for (let i = 0; i < answers.length; i++) expect(await reader.get('/o', { start: 0, end: 2 })).toEqual({ kind: 'fallback' });
    } finally {
      await srv.close();
    }
  });

  it('sends a request again once when its kept-alive connection was closed by the server meanwhile', async () => {
    const srv = await server(rangeAnswer);
    try {
      reader = new DirectRangeGet({ host: '127.0.0.1', port: srv.port, hostHeader: 'x' }, auth, options);
      await collect(opened(await reader.get('/o', { start: 0, end: 99 })));
      for (const s of srv.sockets) s.destroy();
      const again = await collect(opened(await reader.get('/o', { start: 100, end: 199 })));
      expect(again.equals(object.subarray(100, 200))).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it('reports a body cut short as an error of the read, and a refused connection as WebDAV unavailable', async () => {
    const srv = await server((req, res) => {
      res.writeHead(206, { 'Content-Range': `bytes 0-999999/${object.length}`, 'Content-Length': 1_000_000 });
      res.write(object.subarray(0, 300_000), () => req.socket.destroy());
    });
    try {
      reader = new DirectRangeGet({ host: '127.0.0.1', port: srv.port, hostHeader: 'x' }, auth, options);
      await expect(collect(opened(await reader.get('/o', { start: 0, end: 999_999 })))).rejects.toThrow(/WebDAV cannot be reached/);
    } finally {
      await srv.close();
    }
    const refused = new DirectRangeGet({ host: '127.0.0.1', port: srv.port, hostHeader: 'x' }, auth, options);
    await expect(refused.get('/o', { start: 0, end: 1 })).rejects.toThrow(/WebDAV cannot be reached/);
  });

  it('stops delivering at cancel and does not reuse that connection; waits for a free connection beyond maxSockets', async () => {
    const srv = await server(rangeAnswer);
    try {
      reader = new DirectRangeGet({ host: '127.0.0.1', port: srv.port, hostHeader: 'x' }, auth, { ...options, maxSockets: 1 });
      const read = opened(await reader.get('/o', { start: 0, end: object.length - 1 }));
      let delivered = 0;
      read.start({
        write: (bytes) => {
          delivered += bytes.length;
          if (delivered > 100_000) read.cancel();
          return true;
        },
        end: () => {
          throw new Error('a cancelled read does not end');
        },
        error: () => {
          throw new Error('a cancelled read does not fail');
        },
      });
      await new Promise((r) => setTimeout(r, 50));
      const afterCancel = delivered;
      const [a, b] = await Promise.all([
        reader.get('/o', { start: 0, end: 9 }).then((r) => collect(opened(r))),
        reader.get('/o', { start: 10, end: 19 }).then((r) => collect(opened(r))),
      ]);
      expect(Buffer.concat([a, b]).equals(object.subarray(0, 20))).toBe(true);
      expect(delivered).toBe(afterCancel);
    } finally {
      await srv.close();
    }
  });

  it('reads an answer whose head arrives in pieces with the body start, and does not reuse an HTTP/1.0 or `close` connection', async () => {
    const connections: Socket[] = [];
    const raw = net.createServer((socket) => {
      connections.push(socket);
      socket.once('data', () => {
        const body = object.subarray(10, 30);
        const head = `HTTP/1.0 206 Partial Content\r\nContent-Range: bytes 10-29/${object.length}\r\nContent-Length: 20\r\n\r\n`;
        socket.write(head.slice(0, 17));
        setTimeout(() => socket.end(Buffer.concat([Buffer.from(head.slice(17), 'latin1'), body])), 20);
      });
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    try {
      const port = (raw.address() as AddressInfo).port;
      reader = new DirectRangeGet({ host: '127.0.0.1', port, hostHeader: 'x' }, auth, options);
      for (let i = 0; i < 2; i++) expect((await collect(opened(await reader.get('/o', { start: 10, end: 29 })))).equals(object.subarray(10, 30))).toBe(true);
      expect(connections).toHaveLength(2);
    } finally {
      for (const c of connections) c.destroy();
      raw.close();
    }
  });
});
