import { CoalescedPass } from './coalesced-pass';

describe('CoalescedPass', () => {
  it('serves requests made during a pass with one more pass, never two at once', async () => {
    let running = 0;
    let maxRunning = 0;
    let passes = 0;
    let release!: () => void;
    const passes$ = new CoalescedPass(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      passes++;
      if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
      running--;
    }, () => undefined);
    passes$.request();
    passes$.request();
    passes$.request();
    release();
    await passes$.idle();
    expect(passes).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('reports a failed pass and runs the next one; after stop it runs none', async () => {
    const errors: string[] = [];
    let passes = 0;
    const pass = new CoalescedPass(async () => {
      passes++;
      if (passes === 1) throw new Error('store down');
    }, (err) => errors.push(err.message));
    pass.request();
    await pass.idle();
    pass.request();
    await pass.idle();
    expect(errors).toEqual(['store down']);
    expect(passes).toBe(2);
    await pass.stop();
    pass.request();
    await pass.idle();
    expect(passes).toBe(2);
    expect(pass.stopping).toBe(true);
  });
});
