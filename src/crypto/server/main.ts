import 'reflect-metadata';
import { ConfigurationError, loadConfig } from '../../config/app-config';
import { createCryptoServer } from './create-crypto-server';

/** Entry point of the crypto service process: `node dist/src/crypto/server/main.js` (same environment names as RWS). */
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
  const app = await createCryptoServer(config);
  await app.listen(config.port);
}

main().catch((err: unknown) => {
  process.stderr.write(`the crypto service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
