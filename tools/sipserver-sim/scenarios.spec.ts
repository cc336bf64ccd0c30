import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario } from './scenario-runner';
import { SimCluster } from './sim-cluster';

const DIR = join(__dirname, 'scenarios');

describe('scenario files', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))('%s runs to the end', async (file) => {
    const scenario = loadScenario(join(DIR, file));
    expect(scenario.description).toEqual(expect.any(String));
    // Two servers so that HA steps can run; neither listens (the model alone is exercised).
    const sim = new SimCluster({ backupPort: 0 });
    sim.servers[0].role = 'active';
    sim.servers[1].role = 'standby';
    const running = runScenario(sim, scenario);
    await jest.runAllTimersAsync();
    const results = await running;
    await sim.stop();
    expect(results).toHaveLength(scenario.steps.length);
    expect(results.filter((r) => r.error).length).toBe(0);
  });

  it('refuses an unexpected success and an unexpected failure', async () => {
    const sim = new SimCluster();
    await expect(runScenario(sim, { steps: [{ op: 'answer', call: 'nope', dn: '1' }] })).rejects.toThrow('step 0 (answer) failed: no call nope');
    await expect(runScenario(sim, { steps: [{ op: 'dn', number: '1', expect: 'error' }] })).rejects.toThrow('was expected to fail');
  });
});
