import { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1): never relayed. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
/** How long the other node may take to accept the connection; a dead one is refused far sooner. */
const CONNECT_TIMEOUT_MS = 2_000;

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * Relays one HTTP request to `base` as it came (method, path, query, headers, body streamed both ways), adding
 * `extraHeaders` and this hop to X-Forwarded-For. `unreachable` answers the client when no response came
 * (connection refused, timeout); once the other node answered, a broken stream just ends the client's response.
 */
export function relayHttp(req: IncomingMessage, res: ServerResponse, base: string, extraHeaders: Record<string, string>, unreachable: (err: Error) => void): void {
  const target = relayTarget(req, base);
  const headers = withRelayHeaders(req, withoutHopByHop(req.headers), extraHeaders);
  const https = target.protocol === 'https:';
  const upstream = (https ? httpsRequest : httpRequest)(target, { method: req.method, headers, agent: https ? agents.https : agents.http });
  let answered = false;
  const connectTimer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
  upstream.once('socket', (socket) => {
    if (!socket.connecting) clearTimeout(connectTimer);
    else socket.once('connect', () => clearTimeout(connectTimer));
  });
  upstream.on('response', (answer) => {
    answered = true;
    clearTimeout(connectTimer);
    res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    clearTimeout(connectTimer);
    if (!answered && !res.headersSent) unreachable(err);
    else res.destroy();
  });
  // The client went away (e.g. a long-poll it abandoned): so does the relayed request.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Where `req` goes on the node at `base`: the same path and query. */
export function relayTarget(req: IncomingMessage, base: string): URL {
  return new URL(base.replace(/\/+$/, '') + (req.url ?? '/'));
}

/** `headers` as relayed: the client's hop appended to their X-Forwarded-For, and `extraHeaders`. */
export function withRelayHeaders(req: IncomingMessage, headers: IncomingHttpHeaders, extraHeaders: Record<string, string>): IncomingHttpHeaders {
  const peer = req.socket.remoteAddress;
  const forwarded = headers['x-forwarded-for'];
  const hop = peer ? { 'x-forwarded-for': forwarded ? `${String(forwarded)}, ${peer}` : peer } : {};
  return { ...headers, ...hop, ...extraHeaders };
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy: IncomingHttpHeaders = { ...headers };
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP, ...named]) delete copy[name];
  return copy;
}
