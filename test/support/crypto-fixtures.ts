import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../src/config/app-config';
import { createCryptoServer } from '../../src/crypto/server/create-crypto-server';
import type { Principal } from '../../src/identity/principal';

/** Runs `openssl` with arguments (no shell); throws with its stderr when it fails. */
export function openssl(...args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** A fresh RSA certificate and key made by OpenSSL, as files in a new temporary directory. */
export function opensslCertificate(commonName: string, bits = 2048): { dir: string; certPath: string; keyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rws-openssl-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  openssl('req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${commonName}`);
  return { dir, certPath, keyPath };
}

/** A user of `ccid` holding the decrypt permission. */
export function decryptingUser(ccid: string, permissions: Principal['permissions'] = ['decrypt']): Principal {
  return { kind: 'user', userName: 'player', ccid, roles: ['supervisor'], permissions, accessGroups: ['/'] };
}

/** A crypto service process's application on a free loopback port (RWS_CRYPTO_URL for API nodes). */
export async function startCryptoServer(config: AppConfig): Promise<{ app: INestApplication; url: string; close(): Promise<void> }> {
  const app = await createCryptoServer(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
