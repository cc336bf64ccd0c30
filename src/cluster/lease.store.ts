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

/**
 * One lease held through a long job: `take` acquires it, `keepGoing` renews it once a third of its time has
 * passed (so a live holder never lets it expire) and says false once it was lost to another node.
 */
export class HeldLease {
  private renewedAt = 0;

  constructor(
    private readonly leases: LeaseStore,
    readonly name: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  async take(): Promise<boolean> {
    const held = await this.leases.acquire(this.name, this.owner, this.ttlMs);
    if (held) this.renewedAt = Date.now();
    return held;
  }

  async keepGoing(): Promise<boolean> {
    if (Date.now() - this.renewedAt < this.ttlMs / 3) return true;
    return this.take();
  }

  /** Gives it up (another node may take over at once); never throws: an unreleased lease expires. */
  async release(): Promise<void> {
    this.renewedAt = 0;
    await this.leases.release(this.name, this.owner).catch(() => undefined);
  }
}
