/**
 * A named lease that one holder at a time owns until it expires (compare-and-set on the owner), so that
 * one node of a cluster runs a job and another takes over when the holder dies.
 */
export abstract class LeaseStore {
  /** Takes the lease when it is free or expired, or extends it when `owner` holds it; true when `owner` holds it now. */
  abstract acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up when `owner` holds it. */
  abstract release(name: string, owner: string): Promise<void>;
}
