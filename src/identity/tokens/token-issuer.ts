import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import type { Account } from '../authentication/account';
import { JWT_ISSUER, signJwt, TokenClaims } from './jwt';
import { SigningKeyRing } from './signing-key-ring';

/** A signed token and its lifetime. */
export interface IssuedToken {
  token: string;
  claims: TokenClaims;
  expiresInSeconds: number;
}

/** Mints access tokens and session cookies for an account, signed with the ring's current key. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly ring: SigningKeyRing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a session cookie lives. */
  get sessionTtlSeconds(): number {
    return this.config.auth.sessionTtlSeconds;
  }

  /** A new login session id. */
  newSessionId(): string {
    return randomUUID();
  }

  issueAccessToken(account: Account, sessionId: string): Promise<IssuedToken> {
    return this.issue(account, sessionId, 'access', this.config.auth.accessTokenTtlSeconds);
  }

  /** The JSESSIONID value: a session token carrying the CSRF token unsafe requests must echo. */
  issueSessionToken(account: Account, sessionId: string): Promise<IssuedToken> {
    return this.issue(account, sessionId, 'session', this.config.auth.sessionTtlSeconds, randomBytes(24).toString('base64url'));
  }

  private async issue(account: Account, sid: string, use: TokenClaims['use'], ttlSeconds: number, csrf?: string): Promise<IssuedToken> {
    const iat = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      iss: JWT_ISSUER,
      use,
      sub: account.userName,
      ccid: account.ccid,
      kind: account.kind,
      stamp: account.credentialStamp,
      sid,
      csrf,
      jti: randomUUID(),
      iat,
      exp: iat + ttlSeconds,
    };
    const key = await this.ring.signingKey();
    return { token: signJwt(claims, key.kid, key.privateKey), claims, expiresInSeconds: ttlSeconds };
  }
}
