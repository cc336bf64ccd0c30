import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigurationError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigurationError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.port);
}

main().catch((err: unknown) => {
  process.stderr.write(`RWS failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
