import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { RateLimitedException } from '../identity.exception';

const WINDOW_MS = 60_000;
const THROTTLER_NAME = 'password-checks';

/**
 * A plain per-source rate limit on password checks (the token endpoint and Basic authentication), on
 * @nestjs/throttler's storage (in this process alone; on the cluster's Redis, shared by every node). Not its guard: a guard runs
 * before authentication and cannot tell the Recording Processor's already-verified Basic credential (sent with
 * each of ≥ 1,000 inserts/s) from a guess, so the limit is taken here, where only presentations that need
 * scrypt are counted. Over the limit → 429 with Retry-After, before any lockout bookkeeping.
 */
@Injectable()
export class PasswordCheckRateLimit {
  private readonly limit: number;

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limit = config.auth.passwordChecksPerMinute;
  }

  async admit(source: string): Promise<void> {
    const record = await this.storage.increment(`password-check:${source}`, WINDOW_MS, this.limit, WINDOW_MS, THROTTLER_NAME);
    if (record.isBlocked) throw new RateLimitedException(Math.max(1, record.timeToBlockExpire));
  }
}
