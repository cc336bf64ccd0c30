import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
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
import { AttemptAdmission, AttemptOutcome, LoginAttempts } from './login-attempts';
import { LoginThrottle } from './login-throttle';
import { PasswordCheckRateLimit } from './password-check-rate-limit';

/** Longest password accepted for checking (scrypt copes with more, but nobody needs it). */
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Checks a user name and password (Basic auth, the token endpoint). A credential this node verified recently
 * (the verified-credential cache) passes its own pair's lock only. Any other presentation: the per-source
 * rate limit (429), then the lockout admission (counted before the check, 401 with Retry-After when
 * locked), then scrypt against the stored hash — or against a dummy hash when the name is unknown, so that
 * unknown names cost the same.
 */
@Injectable()
export class PasswordAuthenticator implements OnModuleInit {
  readonly hasher: PasswordHasher;
  private readonly throttle: LoginThrottle;
  private readonly cache: CredentialCache;
  private dummyHash = '';
  /**
   * Admissions in progress by (credential, source): identical presentations that arrive together (a client
   * opening several connections with the same Basic header, cached or not) share one admission and one count
   * instead of each taking an in-flight slot of the lockout budget. Different passwords never share, so guesses
   * are still counted one by one.
   */
  private readonly inFlight = new Map<string, Promise<Account>>();

  constructor(
    private readonly directory: AccountDirectory,
    private readonly audit: AuditLog,
    private readonly metrics: AuthMetrics,
    private readonly rateLimit: PasswordCheckRateLimit,
    attempts: LoginAttempts,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.hasher = new PasswordHasher(config.auth.passwordHashCost);
    this.throttle = new LoginThrottle(attempts, config.auth.maxFailuresPerUser, config.auth.maxFailuresPerSource);
    this.cache = new CredentialCache(config.auth.credentialCacheSeconds * 1000);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(randomBytes(16).toString('base64'));
  }

  /** The account when the password is right; throws 401 otherwise (also when locked), 429 when rate limited. */
  async verify(userName: string, password: string, source: string): Promise<Account> {
    const key = userKey(userName);
    // Counters key IPv6 clients by their /64: one host has a whole subnet of addresses to rotate through.
    const counted = normalizeIp(source);
    const id = `${this.cache.idOf(key, password)}@${counted}`;
    const pending = this.inFlight.get(id);
    if (pending) return pending;
    const check = this.admit(userName, password, source, counted).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, check);
    return check;
  }

  private async admit(userName: string, password: string, source: string, counted: string): Promise<Account> {
    return (await this.recentlyVerified(userName, password, counted)) ?? this.check(userName, password, source, counted);
  }

  private async check(userName: string, password: string, source: string, counted: string): Promise<Account> {
    const key = userKey(userName);
    await this.rateLimited(counted);
    const admission = await this.throttle.beginCheck(key, counted);
    const ticket = this.admitted(admission);
    let outcome: AttemptOutcome = 'undecided';
    try {
      const account = await this.directory.fresh(userName);
      const usable = password.length <= MAX_PASSWORD_LENGTH;
      const matches = await this.hasher.verify(usable ? password : '', account?.passwordHash ?? this.dummyHash);
      if (!account || !matches || !usable) {
        outcome = 'failure';
        this.refuse(userName, account?.ccid, source);
      }
      outcome = 'success';
      this.cache.remember(key, password, account.credentialStamp);
      return account;
    } finally {
      await this.throttle.finish(ticket, outcome);
    }
  }

  /** The account when this exact credential was verified on this node recently and its pair is not locked. */
  private async recentlyVerified(userName: string, password: string, source: string): Promise<Account | undefined> {
    const key = userKey(userName);
    const stamp = this.cache.rememberedStamp(key, password);
    if (stamp === undefined) return undefined;
    const known = await this.directory.current(userName);
    if (!known || known.credentialStamp !== stamp || !this.cache.lookup(key, password, known.credentialStamp)) return undefined;
    const ticket = this.admitted(await this.throttle.beginVerified(key, source));
    await this.throttle.finish(ticket, 'success');
    return known;
  }

  private async rateLimited(source: string): Promise<void> {
    try {
      await this.rateLimit.admit(source);
    } catch (err) {
      this.metrics.fail('rate_limited');
      throw err;
    }
  }

  private admitted(admission: AttemptAdmission) {
    if (admission.admitted) return admission.ticket;
    this.metrics.fail('throttled');
    throw new LoginThrottledException(admission.retryAfterSeconds);
  }

  private refuse(userName: string, ccid: string | undefined, source: string): never {
    this.metrics.fail('invalid_credentials');
    this.audit.recordQuietly({
      actor: { userName: userName.slice(0, 200), ccid, kind: 'anonymous' },
      action: 'login',
      outcome: 'failed',
      source,
      detail: 'invalid credentials',
    });
    throw new UnauthenticatedException('Invalid credentials.');
  }
}
