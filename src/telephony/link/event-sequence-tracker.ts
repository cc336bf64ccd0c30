import type { SequencePosition } from '../tlib/tlib-codec';

/** What the tracker tells its owner besides delivering items in order. */
export interface SequenceTrackerHooks<T> {
  deliver(item: T): void;
  /** Numbers were skipped for good: state may have missed events and must be rebuilt from the server. */
  gap(missing: { from: number; to: number; serverStartTime: number }): void;
  /** A new server incarnation (ServerStartTime) appeared on the same link, e.g. behind a bridge after a switchover. */
  newServer(previous: number, current: number): void;
  /** A duplicate or a late item was dropped. */
  dropped(reason: 'duplicate' | 'stale', position: SequencePosition): void;
}

export interface SequenceTrackerOptions {
  /** How long an early item waits for the numbers before it. */
  reorderWindowMs: number;
  /** Most items held while waiting; beyond it the gap is declared at once. */
  maxHeld: number;
}

/**
 * Orders one link's messages by (ServerStartTime, EventSequenceNumber): drops duplicates and late items,
 * holds early items for a short window so that a reordered stream is repaired without a resync, and
 * declares a gap when a number never arrives. Items without a position pass straight through.
 */
export class EventSequenceTracker<T> {
  private serverStartTime: number | undefined;
  private expected: number | undefined;
  private readonly held = new Map<number, T>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hooks: SequenceTrackerHooks<T>,
    private readonly options: SequenceTrackerOptions = { reorderWindowMs: 100, maxHeld: 1000 },
  ) {}

  /** Forgets everything: a new link session numbers from scratch. */
  reset(): void {
    this.serverStartTime = undefined;
    this.expected = undefined;
    this.held.clear();
    this.clearTimer();
  }

  accept(item: T, position: SequencePosition | undefined): void {
    if (!position) {
      this.hooks.deliver(item);
      return;
    }
    const { serverStartTime, sequenceNumber } = position;
    if (this.serverStartTime !== serverStartTime) {
      const previous = this.serverStartTime;
      if (previous !== undefined && serverStartTime < previous) {
        // An older incarnation's message after a newer one: late by definition.
        this.hooks.dropped('stale', position);
        return;
      }
      this.flushHeld();
      this.serverStartTime = serverStartTime;
      this.expected = sequenceNumber;
      if (previous !== undefined) this.hooks.newServer(previous, serverStartTime);
    }
    const expected = this.expected ?? sequenceNumber;
    if (sequenceNumber < expected) {
      this.hooks.dropped('duplicate', position);
      return;
    }
    if (sequenceNumber > expected) {
      if (this.held.has(sequenceNumber)) {
        this.hooks.dropped('duplicate', position);
        return;
      }
      this.held.set(sequenceNumber, item);
      if (this.held.size > this.options.maxHeld) this.declareGap();
      else this.timer ??= setTimeout(() => this.declareGap(), this.options.reorderWindowMs);
      return;
    }
    this.hooks.deliver(item);
    this.expected = expected + 1;
    this.drainHeld();
  }

  /** Items waiting for an earlier number. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Stops the reorder timer (link closed). */
  dispose(): void {
    this.reset();
  }

  private drainHeld(): void {
    while (this.expected !== undefined && this.held.has(this.expected)) {
      const item = this.held.get(this.expected) as T;
      this.held.delete(this.expected);
      this.hooks.deliver(item);
      this.expected++;
    }
    if (this.held.size === 0) this.clearTimer();
  }

  /** The numbers before the earliest held item are not coming: report them, then deliver what is held. */
  private declareGap(): void {
    this.clearTimer();
    if (this.held.size === 0 || this.expected === undefined || this.serverStartTime === undefined) return;
    const first = Math.min(...this.held.keys());
    this.hooks.gap({ from: this.expected, to: first - 1, serverStartTime: this.serverStartTime });
    this.expected = first;
    this.drainHeld();
    if (this.held.size > 0) this.declareGap();
  }

  /** A new incarnation starts: whatever the old one still held is delivered in order, its gaps reported. */
  private flushHeld(): void {
    if (this.held.size > 0) this.declareGap();
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
