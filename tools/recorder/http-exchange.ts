import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An answer: status, headers and the (small) body as text. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Largest answer body kept (tus answers are headers plus a short error envelope). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One HTTP request on node:http(s) with keep-alive, the body streamed from `body` (a file range, say):
 * nothing is buffered whole, unlike fetch, which copies a Buffer body before sending it.
 */
export async function httpExchange(agent: http.Agent, url: string, options: { method: string; headers: Record<string, string>; body?: Readable }): Promise<HttpAnswer> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = transport.request(target, { method: options.method, headers: options.headers, agent });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    if (options.body) pipeline(options.body, req).catch(reject);
    else req.end();
  });
}
