import type { HostPort } from '../../src/config/host-port';
import { ControlApi } from './control-api';
import { SimCluster, SimulatorOptions } from './sim-cluster';

export { SimCluster } from './sim-cluster';
export type { SimulatorOptions } from './sim-cluster';
export { runCommand } from './sim-commands';
export { runScenario, loadScenario } from './scenario-runner';

/** A running simulator: its servers, its control surface and how to stop it. */
export interface RunningSimulator {
  sim: SimCluster;
  /** Primary first, then backup. */
  addresses: HostPort[];
  /** `http://127.0.0.1:<port>` when a control port was asked for. */
  controlUrl?: string;
  stop(): Promise<void>;
}

/** Starts the simulator in this process (tests, the embedded default, benchmarks). */
export async function startSimulator(options: SimulatorOptions & { controlPort?: number; controlHost?: string } = {}): Promise<RunningSimulator> {
  const sim = new SimCluster(options);
  await sim.start();
  let control: ControlApi | undefined;
  let controlUrl: string | undefined;
  if (options.controlPort !== undefined) {
    control = new ControlApi(sim);
    // The control surface may listen wider than the servers (a container whose host drives calls).
    const host = options.controlHost ?? options.host ?? '127.0.0.1';
    const port = await control.listen(options.controlPort, host);
    controlUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
  return {
    sim,
    addresses: sim.addresses(),
    controlUrl,
    stop: async () => {
      await control?.close();
      await sim.stop();
    },
  };
}
