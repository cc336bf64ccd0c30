/**
 * One counter the login throttle keeps: the failures of a (user name, source) pair, or of a source over every
 * name. `threshold` failures (in flight or done) are allowed before the scope locks.
 */
export interface AttemptScope {
  key: string;
  threshold: number;
  /** A right password clears the scope (the pair); a source keeps its count so one success cannot reset a spray. */
  resetOnSuccess: boolean;
}

/** An attempt admitted to the password check; hand it back to `finish` exactly once. */
export interface AttemptTicket {
  readonly scopes: readonly AttemptScope[];
}

export type AttemptAdmission = { admitted: true; ticket: AttemptTicket } | { admitted: false; retryAfterSeconds: number };

/** How an admitted attempt ended: right or wrong password, or not decided (a dependency failed). */
export type AttemptOutcome = 'success' | 'failure' | 'undecided';

/**
 * Port: the counters behind the login throttle. `begin` is atomic over all its scopes — it counts the attempt
 * as in flight *before* the password is checked, so N concurrent guesses cannot all pass a check that only
 * looks at finished failures. An in-memory adapter serves one node; a shared store (Redis, with a Lua script
 * per call and a TTL on in-flight reservations) serves a cluster behind the same port.
 *
 * Rules per scope: admitted while not locked and (failures + in flight) < threshold; once past the threshold,
 * one probe at a time after each lock has run out. Every failure past the threshold locks the scope for
 * 1 s, 2 s, 4 s … (capped). A refused attempt is not counted: a client retrying its right password while
 * locked (Retry-After) must not keep itself locked; an attacker still gets only one guess per lock period.
 */
export abstract class LoginAttempts {
  abstract begin(scopes: AttemptScope[]): Promise<AttemptAdmission>;
  abstract finish(ticket: AttemptTicket, outcome: AttemptOutcome): Promise<void>;
}
