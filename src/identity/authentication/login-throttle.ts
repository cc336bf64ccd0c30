/** Backoff after the threshold: 1 s, 2 s, 4 s … doubling per further failure, capped here. */
const MAX_LOCK_MS = 15 * 60_000;
const BASE_LOCK_MS = 1000;
/** Counters idle this long are forgotten. */
const IDLE_FORGET_MS = 60 * 60_000;
/** Bound on tracked names and addresses each; the stalest entries go first. */
const MAX_ENTRIES = 100_000;

interface Counter {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/** The answer of a throttle check. */
export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Brute-force protection for password checks, per user name and per source address. Below the threshold
 * failures only count; from the threshold on, each failure locks that name (or address) for an exponentially
 * growing time, during which every password check for it is refused without being run (even a right one —
 * otherwise a lock would still confirm guesses). A success clears the user name's counter.
 *
 * State is in memory per node: an attacker spreading guesses over N nodes gets N times the budget, which
 * the exponential backoff keeps small. Counting applies to unknown user names too, so a lock says nothing
 * about whether an account exists.
 */
export class LoginThrottle {
  private readonly byUser = new Map<string, Counter>();
  private readonly bySource = new Map<string, Counter>();

  constructor(
    private readonly maxFailuresPerUser: number,
    private readonly maxFailuresPerSource: number,
    private readonly now: () => number = Date.now,
  ) {}

  check(userKey: string, source: string): ThrottleDecision {
    const now = this.now();
    const until = Math.max(this.byUser.get(userKey)?.lockedUntil ?? 0, this.bySource.get(source)?.lockedUntil ?? 0);
    return until > now ? { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000) } : { allowed: true };
  }

  recordFailure(userKey: string, source: string): void {
    const now = this.now();
    this.fail(this.byUser, userKey, this.maxFailuresPerUser, now);
    this.fail(this.bySource, source, this.maxFailuresPerSource, now);
  }

  recordSuccess(userKey: string): void {
    // The source keeps its count: one right password must not reset a spray across many names.
    this.byUser.delete(userKey);
  }

  private fail(counters: Map<string, Counter>, key: string, threshold: number, now: number): void {
    let counter = counters.get(key);
    if (counter && now - counter.lastFailure > IDLE_FORGET_MS) counter = undefined;
    counter ??= { failures: 0, lockedUntil: 0, lastFailure: now };
    counter.failures += 1;
    counter.lastFailure = now;
    if (counter.failures >= threshold) {
      const exponent = Math.min(counter.failures - threshold, 20);
      counter.lockedUntil = now + Math.min(BASE_LOCK_MS * 2 ** exponent, MAX_LOCK_MS);
    }
    counters.delete(key); // re-insert: Map order = least recently failed first
    counters.set(key, counter);
    if (counters.size > MAX_ENTRIES) {
      const oldest = counters.keys().next().value;
      if (oldest !== undefined) counters.delete(oldest);
    }
  }
}
