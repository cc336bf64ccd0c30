interface Scheduled<T> {
  item: T;
  /** Full turns of the wheel still to wait before the item is due. */
  rounds: number;
}

/**
 * A hashed timer wheel: one interval timer for any number of pending deadlines, O(1) to schedule.
 * Used for command resends so 10k recorders never mean 10k timers. Precision is one tick; cancelling is
 * lazy (the handler checks whether the item still matters). The timer runs only while items are pending.
 */
export class TimerWheel<T> {
  private readonly slots: Scheduled<T>[][];
  private cursor = 0;
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tickMs: number,
    slotCount: number,
    private readonly onDue: (item: T) => void,
  ) {
    this.slots = Array.from({ length: slotCount }, () => []);
  }

  /** Calls onDue(item) after at least `delayMs` (rounded up to whole ticks). */
  schedule(item: T, delayMs: number): void {
    const ticks = Math.max(1, Math.ceil(delayMs / this.tickMs));
    const slotCount = this.slots.length;
    const slot = (this.cursor + ticks) % slotCount;
    this.slots[slot].push({ item, rounds: Math.floor((ticks - 1) / slotCount) });
    this.pending++;
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
  }

  /** Number of scheduled items not yet due (cancelled ones included until their slot comes). */
  get size(): number {
    return this.pending;
  }

  /** Advances one tick; public so tests can drive the wheel without real time. */
  tick(): void {
    this.cursor = (this.cursor + 1) % this.slots.length;
    const slot = this.slots[this.cursor];
    if (slot.length === 0) return;
    const due: T[] = [];
    const later: Scheduled<T>[] = [];
    for (const s of slot) {
      if (s.rounds > 0) {
        s.rounds--;
        later.push(s);
      } else {
        due.push(s.item);
      }
    }
    this.slots[this.cursor] = later;
    this.pending -= due.length;
    if (this.pending === 0) this.stop();
    for (const item of due) this.onDue(item);
  }

  /** Drops every pending item and stops the timer. */
  clear(): void {
    for (let i = 0; i < this.slots.length; i++) this.slots[i] = [];
    this.pending = 0;
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
