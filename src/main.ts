import 'reflect-metadata';
import { createApp } from './bootstrap';
import { loadConfigOrExit } from './config/load-config-or-exit';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  await app.listen(config.port);
}

main().catch((err: unknown) => {
  process.stderr.write(`RWS failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
