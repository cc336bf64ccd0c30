import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 1_000_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows failures below the threshold, then locks the name with growing backoff', () => {
    const throttle = new LoginThrottle(3, 100, clock);
    for (let i = 0; i < 2; i++) throttle.recordFailure('alice', 'a');
    expect(throttle.check('alice', 'a')).toEqual({ allowed: true });
    throttle.recordFailure('alice', 'a');
    expect(throttle.check('alice', 'b')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(throttle.check('alice', 'a').allowed).toBe(true);
    throttle.recordFailure('alice', 'a');
    expect(throttle.check('alice', 'a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 2000;
    throttle.recordFailure('alice', 'a');
    expect(throttle.check('alice', 'a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    expect(throttle.check('bob', 'a').allowed).toBe(true);
  });

  it('caps the lock at 15 minutes', () => {
    const throttle = new LoginThrottle(1, 1000, clock);
    for (let i = 0; i < 40; i++) throttle.recordFailure('alice', `s${i}`);
    expect(throttle.check('alice', 'x')).toEqual({ allowed: false, retryAfterSeconds: 900 });
  });

  it('a success clears the name but not the source', () => {
    const throttle = new LoginThrottle(2, 3, clock);
    throttle.recordFailure('alice', 'src');
    throttle.recordFailure('bob', 'src');
    throttle.recordSuccess('alice');
    throttle.recordFailure('alice', 'src');
    expect(throttle.check('alice', 'other').allowed).toBe(true);
    expect(throttle.check('carol', 'src').allowed).toBe(false);
  });

  it('locks a source spraying many names', () => {
    const throttle = new LoginThrottle(5, 4, clock);
    for (let i = 0; i < 4; i++) throttle.recordFailure(`user${i}`, '203.0.113.9');
    expect(throttle.check('anyone', '203.0.113.9').allowed).toBe(false);
    expect(throttle.check('anyone', '203.0.113.10').allowed).toBe(true);
  });

  it('forgets counters after an hour without failures', () => {
    const throttle = new LoginThrottle(2, 100, clock);
    throttle.recordFailure('alice', 'a');
    now += 61 * 60_000;
    throttle.recordFailure('alice', 'a');
    expect(throttle.check('alice', 'a').allowed).toBe(true);
  });
});
