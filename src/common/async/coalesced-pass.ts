/**
 * A background pass that runs on a timer and on request, never two at once on this node: a request made while
 * a pass runs is served by one more pass right after it (however many requests came meanwhile). Errors of a
 * pass go to `onError`; the next pass runs as usual. `stop` cancels the timer and waits for the pass under way.
 */
export class CoalescedPass {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  /** True once `stop` was called: a long pass checks it between two items. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Requests a pass every `intervalMs`, the first after `firstDelayMs`; the timer does not keep the process alive. */
  every(intervalMs: number, firstDelayMs = intervalMs): void {
    this.timer = setTimeout(() => {
      this.request();
      if (!this.stopped) this.every(intervalMs);
    }, firstDelayMs);
    this.timer.unref();
  }

  /** Starts a pass now, or one more after the pass under way. */
  request(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.run()
      .catch((err: Error) => this.onError(err))
      .finally(() => {
        this.pass = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Resolves when no pass runs any more (including the one a request during a pass asked for). */
  async idle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }
}
