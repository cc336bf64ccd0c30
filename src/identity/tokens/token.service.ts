import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log.service';
import { Account, principalOf } from '../authentication/account';
import { AccountDirectory } from '../authentication/account-directory';
import { PasswordAuthenticator } from '../authentication/password-authenticator';
import { InvalidTokenException } from '../identity.exception';
import type { Principal } from '../principal';
import { RefreshTokenRecord, RefreshTokenStore } from './refresh-token.store';
import { RevocationList } from './revocation-list';
import { TokenIssuer } from './token-issuer';
import { TokenVerifier } from './token-verifier';

/** A login session may be refreshed for at most this long after the password was given. */
const SESSION_MAX_AGE_MS = 30 * 86_400_000;

/** The token endpoint's answer (OAuth 2.0 field names, plus the RWS statusCode). */
export interface TokenPair {
  statusCode: 0;
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

/**
 * Token use cases: sign in with a password, exchange a refresh token, log out.
 * Refresh tokens are opaque random strings stored as SHA-256; each exchange retires the presented token
 * and hands out a new one of the same session. Presenting a used token again is treated as theft: the
 * whole session (its access tokens, cookies and refresh tokens) is revoked.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly passwords: PasswordAuthenticator,
    private readonly directory: AccountDirectory,
    private readonly issuer: TokenIssuer,
    private readonly verifier: TokenVerifier,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly revocations: RevocationList,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(userName: string, password: string, source: string): Promise<TokenPair> {
    const account = await this.passwords.verify(userName, password, source);
    const sessionId = this.issuer.newSessionId();
    const pair = await this.issuePair(account, sessionId, new Date().toISOString());
    await this.audit.record({ actor: principalOf(account, 'basic', sessionId), action: 'login', outcome: 'success', source, objectType: 'session', objectId: sessionId });
    return pair;
  }

  async refresh(refreshToken: string, source: string): Promise<TokenPair> {
    const record = await this.refreshTokens.get(hashToken(refreshToken));
    if (!record || (await this.revocations.isRevokedNow(record.sessionId)) || Date.now() - Date.parse(record.sessionStartedAt) > SESSION_MAX_AGE_MS) {
      throw new InvalidTokenException('Invalid or expired refresh token.');
    }
    const actor = { userName: record.userName, ccid: record.ccid, kind: 'anonymous' as const };
    if (!(await this.refreshTokens.markUsed(record, new Date().toISOString()))) {
      await this.revocations.revoke(record.sessionId);
      await this.audit.record({ actor, action: 'refresh', outcome: 'denied', source, objectType: 'session', objectId: record.sessionId, detail: 'refresh token replayed; session revoked' });
      throw new InvalidTokenException('Invalid or expired refresh token.');
    }
    const account = await this.directory.fresh(record.userName);
    if (!account || account.credentialStamp !== record.credentialStamp || account.ccid !== record.ccid) {
      throw new InvalidTokenException('Invalid or expired refresh token.');
    }
    return this.issuePair(account, record.sessionId, record.sessionStartedAt);
  }

  /**
   * Ends the caller's login session(s): the one its credential belongs to, plus those of a session cookie
   * or refresh token it hands in, when they are its own. Tokens of other sessions stay valid.
   */
  async logout(principal: Principal, sessionCookie: string | undefined, refreshToken: string | undefined, source: string): Promise<number> {
    const sessions = new Set<string>();
    if (principal.sessionId) sessions.add(principal.sessionId);
    if (sessionCookie) {
      const claims = await this.verifier.verify(sessionCookie, 'session');
      if (claims && claims.sub === principal.userName && claims.ccid === principal.ccid) sessions.add(claims.sid);
    }
    if (refreshToken) {
      const record = await this.refreshTokens.get(hashToken(refreshToken));
      if (record && record.userName === principal.userName && record.ccid === principal.ccid) sessions.add(record.sessionId);
    }
    for (const sessionId of sessions) await this.revocations.revoke(sessionId);
    await this.audit.record({ actor: principal, action: 'logout', outcome: 'success', source, objectType: 'session', objectId: [...sessions].join(',') || undefined });
    return sessions.size;
  }

  private async issuePair(account: Account, sessionId: string, sessionStartedAt: string): Promise<TokenPair> {
    const access = await this.issuer.issueAccessToken(account, sessionId);
    const refreshToken = randomBytes(32).toString('base64url');
    const now = Date.now();
    const record: RefreshTokenRecord = {
      tokenHash: hashToken(refreshToken),
      sessionId,
      ccid: account.ccid,
      userName: account.userName,
      credentialStamp: account.credentialStamp,
      sessionStartedAt,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.config.auth.refreshTokenTtlSeconds * 1000).toISOString(),
    };
    await this.refreshTokens.put(record);
    return { statusCode: 0, access_token: access.token, token_type: 'Bearer', expires_in: access.expiresInSeconds, refresh_token: refreshToken };
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
