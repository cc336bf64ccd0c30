import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A secret (a private key) encrypted at rest with AES-256-GCM under one master key. */
export interface SealedSecret {
  /** Which master key sealed it (a fingerprint, never the key). */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** A sealed secret names a master key this node was not given. */
export class MasterKeyUnavailableError extends Error {}

/** A sealed secret fails authentication (altered, or bound to another record). */
export class SealedSecretError extends Error {}

/**
 * The master keys of a crypto service: the current one seals, every one (current and old) opens.
 * Rotation: give every node the new key as current and the previous one in RWS_MASTER_KEYS_OLD, re-wrap
 * (POST /api/v2/ops/crypto/master-key {"operationName":"rewrap"}), then drop the old key. Nodes keep
 * serving throughout, because both keys open.
 */
export class MasterKeyRing {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, old: Buffer[] = []) {
    if (current.length !== 32 || old.some((k) => k.length !== 32)) throw new RangeError('master keys are 32 bytes');
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, Buffer.from(current));
    for (const key of old) this.keys.set(keyIdOf(key), Buffer.from(key));
  }

  /**
   * The configured keys; without RWS_MASTER_KEY, one generated at first start into
   * `<dataDir>/crypto/master.key` (mode 0600): fine for one embedded node, not for a cluster.
   */
  static fromConfig(config: { masterKey?: Buffer; oldMasterKeys: Buffer[]; dataDir: string }): { ring: MasterKeyRing; generatedFile?: string } {
    return MasterKeyRing.fromFile(config, 'crypto', 'master.key');
  }

  /**
   * The key that seals what an API node itself keeps secret (webhook secrets, export target passwords, the
   * cipher state of uploads in progress): RWS_MASTER_KEY when given — the same on every node of a cluster.
   * Without it, an in-process crypto service's key; but a node whose crypto service is remote (RWS_CRYPTO_URL)
   * never writes a master key file: it generates a node secrets key instead (`<dataDir>/secrets/node.key`),
   * which opens nothing of the crypto service's.
   */
  static forNodeSecrets(config: { masterKey?: Buffer; oldMasterKeys: Buffer[]; dataDir: string; cryptoUrl?: string }): MasterKeyRing {
    if (config.masterKey || !config.cryptoUrl) return MasterKeyRing.fromConfig(config).ring;
    return MasterKeyRing.fromFile(config, 'secrets', 'node.key').ring;
  }

  private static fromFile(config: { masterKey?: Buffer; oldMasterKeys: Buffer[]; dataDir: string }, folder: string, name: string): { ring: MasterKeyRing; generatedFile?: string } {
    if (config.masterKey) return { ring: new MasterKeyRing(config.masterKey, config.oldMasterKeys) };
    const dir = join(resolve(config.dataDir), folder);
    const file = join(dir, name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(file)) {
      try {
        writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 master key`);
    return { ring: new MasterKeyRing(key, config.oldMasterKeys), generatedFile: file };
  }

  /** Seals `secret`; `binding` (e.g. contact center and certificate id) must be given again to open it. */
  seal(secret: Buffer, binding: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(binding));
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
    return { keyId: this.currentKeyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  }

  open(sealed: SealedSecret, binding: string): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new MasterKeyUnavailableError(`the private key is sealed under master key ${sealed.keyId}, which this node was not given`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(binding));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    } catch {
      throw new SealedSecretError('a sealed private key fails authentication');
    }
  }

  isCurrent(sealed: SealedSecret): boolean {
    return sealed.keyId === this.currentKeyId;
  }
}

function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('RWS master key id').digest('hex').slice(0, 16);
}
