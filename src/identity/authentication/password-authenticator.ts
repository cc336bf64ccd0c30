import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log.service';
import { LoginThrottledException, UnauthenticatedException } from '../identity.exception';
import { PasswordHasher } from '../passwords/password-hasher';
import { userKey } from '../users/user';
import { Account } from './account';
import { AccountDirectory } from './account-directory';
import { AuthMetrics } from './auth-metrics';
import { CredentialCache } from './credential-cache';
import { LoginThrottle } from './login-throttle';

/** Longest password accepted for checking (scrypt copes with more, but nobody needs it). */
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Checks a user name and password (Basic auth, the token endpoint). In order: brute-force throttle (a
 * locked name or address is refused without checking), the verified-credential cache, then scrypt against
 * the stored hash, or against a dummy hash when the name is unknown so that unknown names cost the same.
 */
@Injectable()
export class PasswordAuthenticator implements OnModuleInit {
  readonly hasher: PasswordHasher;
  private readonly throttle: LoginThrottle;
  private readonly cache: CredentialCache;
  private dummyHash = '';

  constructor(
    private readonly directory: AccountDirectory,
    private readonly audit: AuditLog,
    private readonly metrics: AuthMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.hasher = new PasswordHasher(config.auth.passwordHashCost);
    this.throttle = new LoginThrottle(config.auth.maxFailuresPerUser, config.auth.maxFailuresPerSource);
    this.cache = new CredentialCache(config.auth.credentialCacheSeconds * 1000);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(randomBytes(16).toString('base64'));
  }

  /** The account when the password is right; throws 401 otherwise (also when throttled). */
  async verify(userName: string, password: string, source: string): Promise<Account> {
    const key = userKey(userName);
    const decision = this.throttle.check(key, source);
    if (!decision.allowed) {
      this.metrics.fail('throttled');
      throw new LoginThrottledException(decision.retryAfterSeconds);
    }

    const known = await this.directory.current(userName);
    if (known && this.cache.lookup(key, password, known.credentialStamp)) {
      this.throttle.recordSuccess(key);
      return known;
    }

    const account = await this.directory.fresh(userName);
    const usable = password.length <= MAX_PASSWORD_LENGTH;
    const matches = await this.hasher.verify(usable ? password : '', account?.passwordHash ?? this.dummyHash);
    if (!account || !matches || !usable) {
      this.throttle.recordFailure(key, source);
      this.metrics.fail('invalid_credentials');
      this.audit.recordQuietly({
        actor: { userName: userName.slice(0, 200), ccid: account?.ccid, kind: 'anonymous' },
        action: 'login',
        outcome: 'failed',
        source,
        detail: 'invalid credentials',
      });
      throw new UnauthenticatedException('Invalid credentials.');
    }
    this.throttle.recordSuccess(key);
    this.cache.remember(key, password, account.credentialStamp);
    return account;
  }
}
