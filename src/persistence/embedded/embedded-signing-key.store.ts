import { Injectable } from '@nestjs/common';
import { SigningKeyStore, StoredSigningKey } from '../../identity/tokens/signing-key.store';
import { EmbeddedDatabase } from './embedded-database';

const KEYS = 'signing_keys';

/** SigningKeyStore on the embedded database. */
@Injectable()
export class EmbeddedSigningKeyStore extends SigningKeyStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async list(): Promise<StoredSigningKey[]> {
    return [...this.db.values(KEYS)]
      .map((row) => row as unknown as StoredSigningKey)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid));
  }

  create(key: StoredSigningKey): Promise<boolean> {
    return this.db.putIfAbsent(KEYS, key.kid, { ...key });
  }

  async retire(kid: string, at: string): Promise<boolean> {
    const row = this.db.get(KEYS, kid);
    if (!row) return false;
    if (!row.retiredAt) await this.db.put(KEYS, kid, { ...row, retiredAt: at });
    return true;
  }
}
