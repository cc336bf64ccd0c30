import { AttemptAdmission, AttemptOutcome, AttemptScope, AttemptTicket, LoginAttempts } from './login-attempts';

/**
 * Brute-force protection for password checks (the policy; the counters are behind the LoginAttempts port).
 *
 * - Per (user name, source): `maxFailuresPerUser` failures, then an exponentially growing lock. Only that
 *   source is locked: a stranger's wrong guesses never lock the account out for its owner elsewhere — not a
 *   person, not the ops account, not the Recording Processor's service account.
 * - Per source: `maxFailuresPerSource` failures over any names (a spray), then the same backoff. A credential
 *   this node verified recently (the verified-credential cache) is not refused for its source's spray lock:
 *   it was proven before, and each wrong guess still counts against its own pair.
 * - Attempts are counted when they start, not when scrypt answers (see LoginAttempts).
 *
 * The pair lock applies to every presentation of that name from that source, including a cached right
 * password: letting the cache through a pair lock would turn it into a password oracle for the very
 * attacker the lock is stopping. Unknown user names count exactly like real ones.
 */
export class LoginThrottle {
  constructor(
    private readonly attempts: LoginAttempts,
    private readonly maxFailuresPerUser: number,
    private readonly maxFailuresPerSource: number,
  ) {}

  /** Admission of a password that has to be checked (scrypt). */
  beginCheck(userKey: string, source: string): Promise<AttemptAdmission> {
    return this.attempts.begin([this.pairScope(userKey, source), this.sourceScope(source)]);
  }

  /** Admission of a credential verified recently on this node: only its own pair's lock applies. */
  beginVerified(userKey: string, source: string): Promise<AttemptAdmission> {
    return this.attempts.begin([this.pairScope(userKey, source)]);
  }

  finish(ticket: AttemptTicket, outcome: AttemptOutcome): Promise<void> {
    return this.attempts.finish(ticket, outcome);
  }

  private pairScope(userKey: string, source: string): AttemptScope {
    return { key: `pair:${source.length}:${source}:${userKey}`, threshold: this.maxFailuresPerUser, resetOnSuccess: true };
  }

  private sourceScope(source: string): AttemptScope {
    return { key: `source:${source}`, threshold: this.maxFailuresPerSource, resetOnSuccess: false };
  }
}
