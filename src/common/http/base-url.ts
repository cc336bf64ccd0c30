import type { Request } from 'express';
import { InvalidParameterException } from '../errors/rws.exception';

/** Express setting holding RWS_PUBLIC_URL (set at bootstrap), read here so every caller gets the same base. */
export const PUBLIC_URL_SETTING = 'rws public url';

/** `host`, `host:port`, `[v6]` or `[v6]:port` — nothing that could end the authority or start a path. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The base (`scheme://host[/prefix]`) of the absolute URIs RWS clients expect: RWS_PUBLIC_URL when set;
 * otherwise the scheme and host the client addressed — `X-Forwarded-Proto`/`-Host` only from a trusted
 * proxy (Express `trust proxy`, RWS_TRUSTED_PROXIES), the scheme only http or https, the host only a host
 * name or address with an optional port (else 400): a header can never make RWS hand out `javascript:` or
 * another site's path.
 */
export function baseUrlOf(request: Request): string {
  const configured = request.app?.get(PUBLIC_URL_SETTING) as string | undefined;
  if (configured) return configured;
  const forwarded = request.protocol?.toLowerCase();
  const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const host = request.host;
  if (!host || !HOST.test(host)) throw new InvalidParameterException('Host', 'must be a host name or address with an optional port');
  return `${scheme}://${host}`;
}
