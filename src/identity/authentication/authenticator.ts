import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { parseBasicAuthorization } from '../basic-credentials';
import { isAnonymousSession } from '../csrf/anonymous-session';
import { readCookie, SESSION_COOKIE } from '../csrf/cookies';
import { InvalidTokenException, UnauthenticatedException } from '../identity.exception';
import type { AuthMethod, Principal } from '../principal';
import type { TokenClaims, TokenUse } from '../tokens/jwt';
import { TokenVerifier } from '../tokens/token-verifier';
import { Account, principalOf } from './account';
import { AccountDirectory } from './account-directory';
import { AuthMetrics } from './auth-metrics';
import { PasswordAuthenticator } from './password-authenticator';

/** What authentication needs of a request (an Express request, or a WebSocket upgrade request). */
export interface CredentialSource {
  headers: IncomingHttpHeaders;
  /** The client address (Express `req.ip`). */
  ip?: string;
}

/** The outcome of authenticating a request. */
export interface Authentication {
  principal: Principal;
  account: Account;
  method: AuthMethod;
  /** Present when the session cookie alone authenticated the request (CSRF applies). */
  sessionClaims?: TokenClaims;
}

/**
 * Turns a request's credentials into a Principal: `Authorization: Basic` (user name + password, every
 * endpoint), `Authorization: Bearer` (access token), or, without an Authorization header, the JSESSIONID
 * session cookie. An Authorization header that fails is never rescued by a cookie.
 */
@Injectable()
export class Authenticator {
  /**
   * One authentication per request object: the cluster's desktop forwarding authenticates before the body is
   * read, the global guard again later; both get the same outcome, so a wrong password counts as one failure.
   */
  private readonly outcomes = new WeakMap<CredentialSource, Promise<Authentication>>();

  constructor(
    private readonly passwords: PasswordAuthenticator,
    private readonly verifier: TokenVerifier,
    private readonly directory: AccountDirectory,
    private readonly metrics: AuthMetrics,
  ) {}

  authenticate(request: CredentialSource): Promise<Authentication> {
    let outcome = this.outcomes.get(request);
    if (!outcome) this.outcomes.set(request, (outcome = this.authenticateOnce(request)));
    return outcome;
  }

  private async authenticateOnce(request: CredentialSource): Promise<Authentication> {
    const authorization = request.headers.authorization;
    if (authorization) {
      if (/^Basic\s/i.test(authorization)) {
        const credentials = parseBasicAuthorization(authorization);
        if (!credentials) throw new UnauthenticatedException('Malformed Basic credentials.');
        const account = await this.passwords.verify(credentials.userName, credentials.password, request.ip ?? 'unknown');
        return { principal: principalOf(account, 'basic'), account, method: 'basic' };
      }
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (bearer) {
        const { account, claims } = await this.fromToken(bearer[1], 'access');
        return { principal: principalOf(account, 'bearer', claims.sid), account, method: 'bearer' };
      }
      throw new UnauthenticatedException('Unsupported authorization scheme.');
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    // An anonymous session (handed out before any credentials) is no credential: 401 with the Basic challenge.
    if (cookie && !isAnonymousSession(cookie)) {
      const { account, claims } = await this.fromToken(cookie, 'session');
      return { principal: principalOf(account, 'session', claims.sid), account, method: 'session', sessionClaims: claims };
    }
    throw new UnauthenticatedException();
  }

  /** A valid token of a still-existing account whose password has not changed since the token was issued. */
  private async fromToken(token: string, use: TokenUse): Promise<{ account: Account; claims: TokenClaims }> {
    const claims = await this.verifier.verify(token, use);
    const account = claims ? await this.directory.current(claims.sub) : undefined;
    if (!claims || !account || account.credentialStamp !== claims.stamp || account.ccid !== claims.ccid || account.kind !== claims.kind) {
      this.metrics.fail(use === 'access' ? 'invalid_token' : 'invalid_session');
      throw use === 'access' ? new InvalidTokenException() : new UnauthenticatedException('Session expired or invalid.');
    }
    return { account, claims };
  }
}
