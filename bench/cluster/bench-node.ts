/**
 * An RWS node for the cluster benchmarks: server/main.ts with the bench recorder authenticator (bench/recorders/
 * bench-authenticator.ts), so that P2 can connect ten thousand recorders per node without ten thousand user
 * accounts. Started by scripts/cluster/start.sh with CLUSTER_NODE_MAIN=dist/bench/cluster/bench-node.js.
 */
import 'reflect-metadata';
import { createApp } from '../../src/bootstrap';
import { loadConfigOrExit } from '../../src/config/load-config-or-exit';
import { sipServersFor } from '../../tools/sipserver-sim/embedded-simulator';
import { BenchAuthenticator } from '../recorders/bench-authenticator';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config, { ports: { recorders: { authenticator: BenchAuthenticator }, sipServers: sipServersFor(config) } });
  await app.listen(config.port);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench node failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
