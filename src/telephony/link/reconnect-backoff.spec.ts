import { ReconnectBackoff } from './reconnect-backoff';

describe('ReconnectBackoff', () => {
  it('grows exponentially up to the cap, and starts small after reset', () => {
    const backoff = new ReconnectBackoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 }, () => 0.5);
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('randomises within the jitter fraction', () => {
    const low = new ReconnectBackoff({ initialMs: 1000, maxMs: 1000, factor: 2, jitter: 0.5 }, () => 0.999);
    const high = new ReconnectBackoff({ initialMs: 1000, maxMs: 1000, factor: 2, jitter: 0.5 }, () => 0);
    expect(low.next()).toBe(500);
    expect(high.next()).toBe(1000);
  });
});
