import 'reflect-metadata';
import { loadConfigOrExit } from '../../config/load-config-or-exit';
import { createCryptoServer } from './create-crypto-server';

/** Entry point of the crypto service process: `node dist/src/crypto/server/main.js` (same environment names as RWS). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createCryptoServer(config);
  await app.listen(config.port);
}

main().catch((err: unknown) => {
  process.stderr.write(`the crypto service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
