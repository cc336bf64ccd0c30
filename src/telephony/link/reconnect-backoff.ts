/** Exponential backoff settings for reconnecting the link. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of each delay that is randomised (0 = none, 1 = anywhere in [0, delay]). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5000, factor: 2, jitter: 0.5 };

/**
 * Delays between connection attempts: grows exponentially with consecutive failures, capped, with jitter
 * so that many nodes losing the same server do not reconnect in lockstep.
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * Math.pow(factor, this.failures));
    this.failures = Math.min(this.failures + 1, 64);
    return Math.round(base * (1 - jitter * this.random()));
  }

  /** A connection succeeded: start small again. */
  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
