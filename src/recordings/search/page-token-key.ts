import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../../config/app-config';

const KEY_FILE = 'page-token.key';

/**
 * The key signing page tokens: RWS_PAGE_TOKEN_KEY when set (nodes behind one load balancer must share
 * it), otherwise generated once into the data directory (mode 0600) and reused across restarts.
 */
export function pageTokenKey(config: AppConfig): Buffer {
  if (config.pageTokenKey) return Buffer.from(config.pageTokenKey, 'utf8');
  const dir = resolve(config.dataDir);
  const file = join(dir, KEY_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}
