import { InMemoryLoginAttempts } from './in-memory-login-attempts';
import type { AttemptAdmission, AttemptTicket } from './login-attempts';
import { LoginThrottle } from './login-throttle';

function ticketOf(admission: AttemptAdmission): AttemptTicket {
  if (!admission.admitted) throw new Error(`refused for ${admission.retryAfterSeconds} s`);
  return admission.ticket;
}

describe('LoginThrottle on the in-memory counters', () => {
  let now = 1_000_000;
  const clock = () => now;
  let throttle: LoginThrottle;

  beforeEach(() => {
    now = 1_000_000;
    throttle = new LoginThrottle(new InMemoryLoginAttempts(clock), 3, 10);
  });

  async function fail(user: string, source: string): Promise<void> {
    await throttle.finish(ticketOf(await throttle.beginCheck(user, source)), 'failure');
  }

  it('counts attempts in flight: no more than the threshold are admitted before any answer', async () => {
    const admissions = await Promise.all(Array.from({ length: 40 }, () => throttle.beginCheck('alice', 'a')));
    expect(admissions.filter((a) => a.admitted)).toHaveLength(3);
    expect(admissions[39]).toEqual({ admitted: false, retryAfterSeconds: expect.any(Number) });
  });

  it('locks the (name, source) pair with growing backoff; other sources and names are untouched', async () => {
    for (let i = 0; i < 3; i++) await fail('alice', 'a');
    expect(await throttle.beginCheck('alice', 'a')).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(await throttle.beginCheck('alice', 'a')).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect((await throttle.beginCheck('alice', 'b')).admitted).toBe(true);
    expect((await throttle.beginCheck('bob', 'a')).admitted).toBe(true);
    now += 1000;
    await fail('alice', 'a');
    expect(await throttle.beginCheck('alice', 'a')).toEqual({ admitted: false, retryAfterSeconds: 2 });
    now += 2000;
    await fail('alice', 'a');
    expect(await throttle.beginCheck('alice', 'a')).toEqual({ admitted: false, retryAfterSeconds: 4 });
  });

  it('admits one probe at a time once a lock has run out', async () => {
    for (let i = 0; i < 3; i++) await fail('alice', 'a');
    now += 60_000;
    const probe = await throttle.beginCheck('alice', 'a');
    expect(probe.admitted).toBe(true);
    expect((await throttle.beginCheck('alice', 'a')).admitted).toBe(false);
    await throttle.finish(ticketOf(probe), 'success');
    expect((await throttle.beginCheck('alice', 'a')).admitted).toBe(true);
  });

  it('a right password clears its pair, not the source', async () => {
    for (let i = 0; i < 9; i++) await fail(`user${i}`, 'src');
    await throttle.finish(ticketOf(await throttle.beginCheck('alice', 'src')), 'success');
    await fail('carol', 'src');
    expect((await throttle.beginCheck('dave', 'src')).admitted).toBe(false);
    expect((await throttle.beginCheck('dave', 'elsewhere')).admitted).toBe(true);
  });

  it('lets a recently verified credential through its source spray lock, never through its pair lock', async () => {
    for (let i = 0; i < 10; i++) await fail(`spray${i}`, 'src');
    expect((await throttle.beginCheck('alice', 'src')).admitted).toBe(false);
    expect((await throttle.beginVerified('bob', 'src')).admitted).toBe(true);
    for (let i = 0; i < 3; i++) await fail('carol', 'other');
    expect((await throttle.beginVerified('carol', 'other')).admitted).toBe(false);
  });

  it('caps the lock at 15 minutes and forgets idle counters after an hour', async () => {
    for (let i = 0; i < 40; i++) {
      now += 15 * 60_000;
      await fail('alice', 'a');
    }
    expect(await throttle.beginCheck('alice', 'a')).toEqual({ admitted: false, retryAfterSeconds: 900 });
    now += 61 * 60_000;
    for (let i = 0; i < 2; i++) await fail('alice', 'a');
    expect((await throttle.beginCheck('alice', 'a')).admitted).toBe(true);
  });

  it('an undecided attempt (dependency failure) frees its place without counting', async () => {
    for (let i = 0; i < 5; i++) await throttle.finish(ticketOf(await throttle.beginCheck('alice', 'a')), 'undecided');
    expect((await throttle.beginCheck('alice', 'a')).admitted).toBe(true);
  });
});
