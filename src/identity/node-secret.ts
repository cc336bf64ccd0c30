import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

const SECRET_FILE = 'auth-secret';

/**
 * The node's identity secret (RWS_AUTH_SECRET, or generated once into the data directory with mode 0600).
 * It only seals signing private keys at rest: tokens are verified with public keys, so nodes with different
 * secrets still accept each other's tokens; they just cannot sign with each other's keys.
 */
@Injectable()
export class NodeSecret {
  private readonly logger = new Logger('Identity');
  private readonly secret: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.auth.secret) {
      this.secret = Buffer.from(config.auth.secret, 'utf8');
      return;
    }
    const dir = resolve(config.dataDir);
    const file = join(dir, SECRET_FILE);
    if (existsSync(file)) {
      this.secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
      return;
    }
    mkdirSync(dir, { recursive: true });
    this.secret = randomBytes(32);
    writeFileSync(file, this.secret.toString('base64url'), { mode: 0o600 });
    this.logger.log({ msg: 'generated the node identity secret (set RWS_AUTH_SECRET to share one across nodes)', file });
  }

  /** A 32-byte key for one purpose, derived with HKDF so purposes never share key material. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.alloc(0), `rws:${purpose}`, 32));
  }

  /** A short fingerprint for logs (never the secret). */
  fingerprint(): string {
    return createHash('sha256').update(this.secret).digest('hex').slice(0, 8);
  }
}
