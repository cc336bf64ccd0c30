import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { TrustedProxies } from '../../common/http/trusted-proxies';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { ForbiddenOriginException } from '../identity.exception';

/**
 * Cross-site WebSocket hijacking defence. A browser attaches the session cookie to a WebSocket handshake that
 * any page opens (there is no CSRF token and no preflight for upgrades), but it always says which page asked
 * in `Origin`. An upgrade authenticated by the cookie alone is accepted only from an allowed origin:
 * RWS_ALLOWED_ORIGINS, else the origin the request addressed (its Host, or what a trusted proxy forwarded),
 * plus RWS_PUBLIC_URL's. Upgrades carrying their own credentials (Basic, Bearer) are not cookie-driven and
 * are not checked.
 */
@Injectable()
export class WebSocketOrigins {
  private readonly configured: ReadonlySet<string>;
  private readonly publicOrigin?: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly proxies: TrustedProxies,
  ) {
    this.configured = new Set(config.allowedOrigins);
    this.publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;
  }

  /**
   * Throws 403 unless the upgrade request's `Origin` is allowed to ride the session cookie. A request without
   * `Origin` is not a browser's (browsers always send it on WebSocket handshakes, and a page cannot remove
   * it), so it cannot be a cross-site one; `null` (sandboxed or opaque pages) is refused.
   */
  requireAllowed(request: IncomingMessage): void {
    const origin = request.headers.origin?.toLowerCase();
    if (origin === undefined) return;
    if (!this.allows(origin, request)) throw new ForbiddenOriginException();
  }

  private allows(origin: string, request: IncomingMessage): boolean {
    if (origin === this.publicOrigin || this.configured.has(origin)) return true;
    if (this.configured.size > 0) return false;
    const { protocol, host } = this.proxies.forwardedOrigin(request, request.socket instanceof TLSSocket);
    return host !== undefined && origin === `${protocol}://${host.toLowerCase()}`;
  }
}
