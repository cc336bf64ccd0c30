import { EventSequenceTracker } from './event-sequence-tracker';

function tracker(reorderWindowMs = 50, maxHeld = 1000) {
  const log: string[] = [];
  const t = new EventSequenceTracker<string>(
    {
      deliver: (item) => log.push(item),
      gap: (m) => log.push(`gap ${m.from}-${m.to}`),
      newServer: (p, c) => log.push(`server ${p}->${c}`),
      dropped: (reason, p) => log.push(`${reason} ${p.sequenceNumber}`),
    },
    { reorderWindowMs, maxHeld },
  );
  const feed = (seq: number, start = 100) => t.accept(`e${seq}`, { serverStartTime: start, sequenceNumber: seq });
  return { t, log, feed };
}

describe('EventSequenceTracker', () => {
  afterEach(() => jest.useRealTimers());

  it('delivers in-order items and drops duplicates', () => {
    const { log, feed } = tracker();
    [1, 2, 2, 3, 1].forEach((n) => feed(n));
    expect(log).toEqual(['e1', 'e2', 'duplicate 2', 'e3', 'duplicate 1']);
  });

  it('repairs a reordering within the window without declaring a gap', () => {
    const { log, feed, t } = tracker();
    [1, 3, 4, 2, 5].forEach((n) => feed(n));
    expect(log).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(t.heldCount).toBe(0);
  });

  it('declares a gap when the missing number does not come, then delivers what it held, and drops it late', () => {
    jest.useFakeTimers();
    const { log, feed } = tracker(50);
    [1, 4, 5].forEach((n) => feed(n));
    expect(log).toEqual(['e1']);
    jest.advanceTimersByTime(60);
    expect(log).toEqual(['e1', 'gap 2-3', 'e4', 'e5']);
    feed(2);
    expect(log.pop()).toBe('duplicate 2');
  });

  it('declares the gap at once when too much is held', () => {
    const { log, feed } = tracker(10_000, 3);
    [1, 3, 4, 5, 6].forEach((n) => feed(n));
    expect(log).toEqual(['e1', 'gap 2-2', 'e3', 'e4', 'e5', 'e6']);
  });

  it('follows a new server incarnation and drops an older one’s stragglers', () => {
    const { log, feed } = tracker();
    feed(7, 100);
    feed(1, 200);
    feed(2, 200);
    feed(8, 100);
    expect(log).toEqual(['e7', 'server 100->200', 'e1', 'e2', 'stale 8']);
  });

  it('passes unnumbered items straight through, and starts over after reset', () => {
    const { log, feed, t } = tracker();
    feed(5);
    t.accept('plain', undefined);
    t.reset();
    feed(1);
    expect(log).toEqual(['e5', 'plain', 'e1']);
  });
});
