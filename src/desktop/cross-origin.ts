import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade comes from a page of another origin. Browsers send the session cookie with a
 * cross-site WebSocket upgrade and no CSRF token can ride along (the WebSocket API sets no headers), so a
 * socket authenticated by the cookie alone is only accepted from the same origin (or from a non-browser
 * client, which sends no Origin). Basic/Bearer sockets are not cookie-driven and are not checked.
 */
export function isCrossOriginUpgrade(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  // As the HTTP API trusts forwarding headers ('trust proxy' = loopback): X-Forwarded-Host only from a local proxy.
  const forwarded = isLoopback(request.socket.remoteAddress) ? (request.headers['x-forwarded-host'] as string | undefined)?.split(',')[0]?.trim() : undefined;
  const host = forwarded || request.headers.host;
  return !host || originHost.toLowerCase() !== host.toLowerCase();
}

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address?.startsWith('127.') === true || address?.startsWith('::ffff:127.') === true;
}
