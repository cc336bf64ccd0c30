import { createHmac, randomBytes } from 'node:crypto';

/**
 * A JSESSIONID handed to a caller that has not authenticated yet (`GET /api/v2/diagnostics/version`, as GWS
 * answers it): clients of the original read a cookie and the CSRF headers before they ever send credentials.
 * It authenticates nothing — the Authenticator treats it like no cookie at all (401 with a Basic challenge) —
 * so it is a random value with a recognisable prefix, not a signed session of some account. Its CSRF token
 * is an HMAC of it, so the same cookie gets the same token (on every node sharing the key).
 */
const PREFIX = 'anon.';
const ANONYMOUS_SESSION = /^anon\.[A-Za-z0-9_-]{22,64}$/;

export function isAnonymousSession(cookie: string): boolean {
  return cookie.startsWith(PREFIX);
}

export class AnonymousSessions {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  /** A fresh anonymous session value. */
  create(): string {
    return `${PREFIX}${randomBytes(18).toString('base64url')}`;
  }

  /** The session value when `cookie` is a well-formed anonymous session, else undefined. */
  accept(cookie: string | undefined): string | undefined {
    return cookie && ANONYMOUS_SESSION.test(cookie) ? cookie : undefined;
  }

  csrfTokenOf(session: string): string {
    return createHmac('sha256', this.key).update(session).digest('base64url').slice(0, 32);
  }
}
