import { Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Account } from '../authentication/account';
import { secretsEqual } from '../constant-time';
import { CsrfTokenException } from '../identity.exception';
import type { TokenClaims } from '../tokens/jwt';
import { TokenIssuer } from '../tokens/token-issuer';
import { TokenVerifier } from '../tokens/token-verifier';
import { NodeSecret } from '../node-secret';
import { AnonymousSessions } from './anonymous-session';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies';

export const CSRF_HEADER_NAME = 'X-CSRF-HEADER';
export const CSRF_TOKEN_HEADER = 'X-CSRF-TOKEN';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How the request was authenticated, as far as CSRF cares. */
export interface CsrfContext {
  account: Account;
  /** The login session the credential belongs to (Bearer token / cookie), if any. */
  sessionId?: string;
  /** Present when the request was authenticated by the session cookie alone. */
  sessionClaims?: TokenClaims;
}

/**
 * CSRF as the RWS clients expect (api.md §1): every authenticated GET answers `X-CSRF-HEADER: X-CSRF-TOKEN`,
 * `X-CSRF-TOKEN: <token>` and a JSESSIONID cookie. A request carrying only the cookie is authenticated by
 * it, and unsafe methods then must echo the token. Requests with an Authorization header are not
 * cookie-driven (a browser never adds that header cross-site), so the token is neither needed nor checked.
 *
 * The session is a signed cookie (a `session` token with the CSRF token inside), not server state: any node
 * verifies it without a read, a restart loses nothing, and logout still ends it through the revocation list.
 */
@Injectable()
export class CsrfProtection {
  private readonly anonymous: AnonymousSessions;

  constructor(
    private readonly issuer: TokenIssuer,
    private readonly verifier: TokenVerifier,
    @Optional() secret?: NodeSecret,
  ) {
    // From the node secret: nodes sharing RWS_AUTH_SECRET give an anonymous cookie the same token.
    this.anonymous = new AnonymousSessions(secret?.derive('anonymous-session-csrf'));
  }

  static isSafe(method: string): boolean {
    return SAFE_METHODS.has(method.toUpperCase());
  }

  /** Throws 403 `Missing or invalid Csrf token` for an unsafe cookie-only request without the right token. */
  verify(request: Request, context: CsrfContext): void {
    if (!context.sessionClaims || CsrfProtection.isSafe(request.method)) return;
    const sent = request.header(CSRF_TOKEN_HEADER);
    if (!sent || !context.sessionClaims.csrf || !secretsEqual(sent, context.sessionClaims.csrf)) throw new CsrfTokenException();
  }

  /** On an authenticated safe request: the CSRF headers, and a session cookie unless a valid one of this account came along. */
  async issue(request: Request, response: Response, context: CsrfContext): Promise<void> {
    let csrf = context.sessionClaims?.csrf;
    if (!csrf) {
      const existing = await this.existingSession(request, context.account);
      csrf = existing?.csrf;
    }
    if (!csrf) {
      const session = await this.issuer.issueSessionToken(context.account, context.sessionId ?? this.issuer.newSessionId());
      csrf = session.claims.csrf!;
      response.append('Set-Cookie', sessionCookie(session.token, session.expiresInSeconds, request.secure));
    }
    response.setHeader(CSRF_HEADER_NAME, CSRF_TOKEN_HEADER);
    response.setHeader(CSRF_TOKEN_HEADER, csrf);
  }

  /**
   * For a caller that sent no credentials (GWS's public `diagnostics/version`): the CSRF headers and a session
   * cookie, as the original answers every request. A valid session cookie of any account is kept as it is
   * (its token is repeated, so a signed-in client is not signed out); otherwise the caller gets an anonymous
   * session, which authenticates nothing.
   */
  async issueAnonymous(request: Request, response: Response): Promise<void> {
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    const signedIn = cookie && !this.anonymous.accept(cookie) ? await this.verifier.verify(cookie, 'session') : undefined;
    let csrf = signedIn?.csrf;
    if (!csrf) {
      let session = this.anonymous.accept(cookie);
      if (!session) {
        session = this.anonymous.create();
        response.append('Set-Cookie', sessionCookie(session, this.issuer.sessionTtlSeconds, request.secure));
      }
      csrf = this.anonymous.csrfTokenOf(session);
    }
    response.setHeader(CSRF_HEADER_NAME, CSRF_TOKEN_HEADER);
    response.setHeader(CSRF_TOKEN_HEADER, csrf);
  }

  /** The claims of the request's session cookie when it is valid and belongs to this account. */
  async existingSession(request: Request, account: Account): Promise<TokenClaims | undefined> {
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!cookie) return undefined;
    const claims = await this.verifier.verify(cookie, 'session');
    return claims && claims.sub === account.userName && claims.stamp === account.credentialStamp && claims.ccid === account.ccid ? claims : undefined;
  }
}
