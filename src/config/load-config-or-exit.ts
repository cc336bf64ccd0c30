import { AppConfig, ConfigurationError, loadConfig } from './app-config';

/** For entry points: the configuration, or exit 78 (EX_CONFIG) with a message naming each bad setting. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigurationError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
