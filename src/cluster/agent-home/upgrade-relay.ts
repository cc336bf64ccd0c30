import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { relayTarget, withRelayHeaders } from './http-relay';

const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Relays a WebSocket upgrade to `base`: the same request (headers included, so the other node authenticates it
 * and checks its origin again), then the two sockets are joined byte for byte — frames are never looked at.
 * A refusal there (401, 503 …) reaches the client as it was answered. `unreachable` answers when no answer came.
 */
export function relayUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, base: string, extraHeaders: Record<string, string>, unreachable: (err: Error) => void): void {
  const target = relayTarget(req, base);
  // All headers, hop-by-hop ones included: Connection and Upgrade are what asks the other node to upgrade.
  const headers = withRelayHeaders(req, req.headers, extraHeaders);
  const upstream = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'GET', headers, agent: false });
  let answered = false;
  const connectTimer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
  upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    answered = true;
    clearTimeout(connectTimer);
    socket.write(statusBlock(answer));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    const close = () => {
      upstreamSocket.destroy();
      socket.destroy();
    };
    upstreamSocket.on('error', close).on('close', close);
    socket.on('error', close).on('close', close);
  });
  upstream.on('response', (answer) => {
    // The other node refused the upgrade: its answer, then the connection ends.
    answered = true;
    clearTimeout(connectTimer);
    socket.write(statusBlock(answer, ['connection', 'transfer-encoding']));
    answer.pipe(socket);
  });
  upstream.on('error', (err) => {
    clearTimeout(connectTimer);
    if (!answered) unreachable(err);
    else socket.destroy();
  });
  socket.on('close', () => {
    if (!answered) upstream.destroy();
  });
  upstream.end();
}

/** The status line and headers of an answer, as raw HTTP/1.1 (`skip` names headers left out). */
function statusBlock(answer: IncomingMessage, skip: string[] = []): string {
  const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    if (!skip.includes(answer.rawHeaders[i].toLowerCase())) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  }
  // A refusal's body is delimited by the end of the connection (it is relayed as it arrives, unframed).
  if (skip.includes('connection')) lines.push('Connection: close');
  return lines.join('\r\n') + '\r\n\r\n';
}
