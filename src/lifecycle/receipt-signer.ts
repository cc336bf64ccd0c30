import { Inject, Injectable } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/**
 * Signs deletion receipts with an Ed25519 key: the configured one (RWS_RECEIPT_SIGNING_KEY_FILE, the same
 * file on every node of a cluster), or one generated once into the data directory. The public key is
 * published through the ops API so that an operator can verify a receipt offline (docs/lifecycle.md).
 */
@Injectable()
export class ReceiptSigner {
  private readonly key: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = loadOrCreate(config);
    const publicKey = createPublicKey(this.key);
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  }

  /** Base64 signature of the document's UTF-8 bytes. */
  sign(document: string): string {
    return sign(null, Buffer.from(document, 'utf8'), this.key).toString('base64');
  }
}

function loadOrCreate(config: AppConfig): KeyObject {
  const file = config.receiptSigningKeyFile ?? join(resolve(config.dataDir), 'receipt-signing-key.pem');
  if (config.receiptSigningKeyFile || existsSync(file)) {
    const key = createPrivateKey(readFileSync(file));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: an Ed25519 private key is required for deletion receipts`);
    return key;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(resolve(config.dataDir), { recursive: true });
  // Exclusive create: two processes on one data dir never end up with different keys on disk.
  try {
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return createPrivateKey(readFileSync(file));
  }
  return privateKey;
}
