import { AttemptAdmission, AttemptOutcome, AttemptScope, AttemptTicket, LoginAttempts } from './login-attempts';

/** Backoff once past the threshold: 1 s, 2 s, 4 s … doubling per further failure, capped here. */
const BASE_LOCK_MS = 1000;
const MAX_LOCK_MS = 15 * 60_000;
/** Counters idle this long (nothing in flight) are forgotten. */
const IDLE_FORGET_MS = 60 * 60_000;
/** Bound on tracked scopes; the least recently touched idle ones go first. */
const MAX_ENTRIES = 200_000;

interface Counter {
  failures: number;
  inFlight: number;
  lockedUntil: number;
  touched: number;
}

/**
 * The LoginAttempts port in this process's memory (one node). Each call runs without an `await`, which is
 * what makes `begin` atomic here.
 */
export class InMemoryLoginAttempts extends LoginAttempts {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  begin(scopes: AttemptScope[]): Promise<AttemptAdmission> {
    const now = this.now();
    const counters = scopes.map((scope) => this.counterOf(scope.key, now));
    const blockedUntil = scopes.map((scope, i) => blockedUntilOf(counters[i], scope.threshold, now));
    if (blockedUntil.some((until) => until !== undefined)) {
      const until = Math.max(...blockedUntil.map((u) => u ?? 0), ...counters.map((c) => c.lockedUntil));
      return Promise.resolve({ admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) });
    }
    for (const counter of counters) counter.inFlight += 1;
    return Promise.resolve({ admitted: true, ticket: { scopes: [...scopes] } });
  }

  finish(ticket: AttemptTicket, outcome: AttemptOutcome): Promise<void> {
    const now = this.now();
    for (const scope of ticket.scopes) {
      const counter = this.counterOf(scope.key, now);
      counter.inFlight = Math.max(0, counter.inFlight - 1);
      if (outcome === 'failure') this.fail(counter, scope.threshold, now);
      if (outcome === 'success' && scope.resetOnSuccess) {
        counter.failures = 0;
        counter.lockedUntil = 0;
      }
      if (counter.failures === 0 && counter.inFlight === 0) this.counters.delete(scope.key);
    }
    return Promise.resolve();
  }

  private fail(counter: Counter, threshold: number, now: number): void {
    counter.failures += 1;
    if (counter.failures >= threshold) {
      const exponent = Math.min(counter.failures - threshold, 20);
      counter.lockedUntil = Math.max(counter.lockedUntil, now + Math.min(BASE_LOCK_MS * 2 ** exponent, MAX_LOCK_MS));
    }
  }

  private counterOf(key: string, now: number): Counter {
    let counter = this.counters.get(key);
    if (counter && counter.inFlight === 0 && now - counter.touched > IDLE_FORGET_MS) counter = undefined;
    counter ??= { failures: 0, inFlight: 0, lockedUntil: 0, touched: now };
    counter.touched = now;
    this.counters.delete(key); // re-insert: Map order = least recently touched first
    this.counters.set(key, counter);
    if (this.counters.size > MAX_ENTRIES) this.evictOne();
    return counter;
  }

  private evictOne(): void {
    for (const [key, counter] of this.counters) {
      if (counter.inFlight === 0) {
        this.counters.delete(key);
        return;
      }
    }
  }
}

/** When the scope refuses a new attempt: until its lock ends, or (busy with in-flight checks) for about a second. */
function blockedUntilOf(counter: Counter, threshold: number, now: number): number | undefined {
  if (counter.lockedUntil > now) return counter.lockedUntil;
  const belowThreshold = counter.failures + counter.inFlight < threshold;
  const probeAfterLock = counter.failures >= threshold && counter.inFlight === 0;
  return belowThreshold || probeAfterLock ? undefined : now + BASE_LOCK_MS;
}
