import { parseArgs } from 'node:util';
import { startSimulator } from './index';
import { loadScenario, runScenario } from './scenario-runner';

const USAGE = `sipserver-sim — a SIP Server simulator speaking RWS's JSON-lines T-Library protocol

  --port N                  primary server port (default 7000; 0 = any)
  --backup-port N           run an HA pair: backup server port
  --control-port N          HTTP control surface port (default 7080; 0 = any)
  --host H                  bind address (default 127.0.0.1)
  --scenario FILE           run a scenario file after start (repeatable)
  --exit-after-scenario     stop once the scenarios have run
  --strict-dns              refuse to register DNs that were not configured
  --record-case upper|capitalized   spelling of GSIP_RECORD values (default upper)
  --switchover-delay-ms N   delay before the backup takes over (default 0)
  --new-connids-on-switchover       give calls new ConnIDs when the backup takes over
  --quiet                   no log lines
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7000' },
      'backup-port': { type: 'string' },
      'control-port': { type: 'string', default: '7080' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string', multiple: true },
      'exit-after-scenario': { type: 'boolean', default: false },
      'strict-dns': { type: 'boolean', default: false },
      'record-case': { type: 'string', default: 'upper' },
      'switchover-delay-ms': { type: 'string', default: '0' },
      'new-connids-on-switchover': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = values.quiet ? undefined : (entry: Record<string, unknown>) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
  const recordCase = values['record-case'];
  if (recordCase !== 'upper' && recordCase !== 'capitalized') throw new Error('--record-case must be upper or capitalized');
  const running = await startSimulator({
    host: values.host,
    port: port(values.port),
    backupPort: values['backup-port'] === undefined ? undefined : port(values['backup-port']),
    controlPort: port(values['control-port']),
    strictDns: values['strict-dns'],
    recordValueCase: recordCase,
    switchoverDelayMs: Number(values['switchover-delay-ms']),
    newConnIdsOnSwitchover: values['new-connids-on-switchover'],
    log,
  });
  // One machine-readable line, first on stdout: how tests and benchmarks find the ports.
  process.stdout.write(JSON.stringify({ msg: 'listening', addresses: running.addresses, controlUrl: running.controlUrl }) + '\n');
  for (const file of values.scenario ?? []) {
    await runScenario(running.sim, loadScenario(file), (step) => log?.({ msg: 'scenario step', file, ...step }));
  }
  const stop = async () => {
    await running.stop();
    process.exit(0);
  };
  if (values['exit-after-scenario']) await stop();
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`bad port ${value}`);
  return n;
}

main().catch((err: unknown) => {
  process.stderr.write(`sipserver-sim: ${(err as Error).message}\n`);
  process.exit(1);
});
