import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, createPublicKey, KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/** Signs release digests with the configured Ed25519 key, when there is one. */
@Injectable()
export class ReleaseSigner {
  private readonly key: KeyObject | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.releaseSigningKeyFile) return;
    const key = createPrivateKey(readFileSync(config.releaseSigningKeyFile));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('RWS_RELEASE_SIGNING_KEY_FILE: an Ed25519 private key is required');
    this.key = key;
  }

  /** Base64 signature over the raw SHA-256 digest, or undefined without a key. */
  sign(sha256Hex: string): string | undefined {
    return this.key ? sign(null, Buffer.from(sha256Hex, 'hex'), this.key).toString('base64') : undefined;
  }

  /** The verification key recorders pin (PEM), or undefined. */
  publicKeyPem(): string | undefined {
    return this.key ? createPublicKey(this.key).export({ type: 'spki', format: 'pem' }).toString() : undefined;
  }
}
