import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/bootstrap';
import { announce } from '../src/common/logging/announce';
import { loadConfigOrExit } from '../src/config/load-config-or-exit';
import { EmbeddedSimulator, sipServersFor } from '../tools/sipserver-sim/embedded-simulator';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // The composition root: the SIP Servers are the configured ones, or the simulator run in this process.
  const app = await createApp(config, { ports: { sipServers: sipServersFor(config) } });
  await app.listen(config.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  announce(`RWS listening on http://localhost:${port} (API documents: http://localhost:${port}/api/docs)`);
  const controlUrl = app.get(EmbeddedSimulator, { strict: false }).controlUrl;
  if (controlUrl) announce(`SIP Server simulator control surface: ${controlUrl} (built in: SIPSERVER_ADDRESSES is unset)`);
  // Nest's shutdown hooks close the application on these signals; this only says so.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => announce(`RWS shutting down (${signal})`));
  process.once('exit', (code) => announce(`RWS stopped (exit code ${code})`));
}

main().catch((err: unknown) => {
  process.stderr.write(`RWS failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
