/**
 * Keeps a node's exports at most at `recordingsPerSecond` and `bytesPerSecond` (together, whichever is
 * slower), so that a long export leaves storage bandwidth and event-loop time to playback and ingest.
 * One pacer per node: every export of the node shares its budget.
 */
export class ExportPacer {
  private nextAt = 0;

  constructor(private readonly limits: { recordingsPerSecond: number; bytesPerSecond: number }) {}

  /** Accounts for one recording of `bytes` and waits until the budget allows going on. */
  async spend(bytes: number): Promise<void> {
    const costMs = Math.max(1000 / this.limits.recordingsPerSecond, (bytes * 1000) / this.limits.bytesPerSecond);
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + costMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
