import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { SigningKeyStore, StoredSigningKey } from '../../identity/tokens/signing-key.store';
import { CassandraConnection } from './cassandra-connection';

/** SigningKeyStore on Cassandra: a handful of rows, read whole. */
@Injectable()
export class CassandraSigningKeyStore extends SigningKeyStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async list(): Promise<StoredSigningKey[]> {
    const result = await this.cql.execute('SELECT kid, algorithm, public_key, sealed_private_key, created_at, retired_at FROM signing_keys', [], {
      idempotent: true,
      fetchSize: 1000,
    });
    return result.rows.map(toKey).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid));
  }

  async create(key: StoredSigningKey): Promise<boolean> {
    const result = await this.cql.execute(
      'INSERT INTO signing_keys (kid, algorithm, public_key, sealed_private_key, created_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS',
      [key.kid, key.algorithm, key.publicKey, key.sealedPrivateKey, new Date(key.createdAt)],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async retire(kid: string, at: string): Promise<boolean> {
    // Conditional on "not yet retired" so a second retirement keeps the first time; a refused update
    // returns the row's current values, which tell an unknown kid from an already retired one.
    const result = await this.cql.execute('UPDATE signing_keys SET retired_at = ? WHERE kid = ? IF algorithm != null AND retired_at = null', [new Date(at), kid], {
      idempotent: false,
    });
    if (result.wasApplied()) return true;
    return Boolean(result.first()?.algorithm);
  }
}

function toKey(row: types.Row): StoredSigningKey {
  const retiredAt = row.retired_at as Date | null;
  return {
    kid: row.kid as string,
    algorithm: row.algorithm as string,
    publicKey: row.public_key as string,
    sealedPrivateKey: row.sealed_private_key as string,
    createdAt: (row.created_at as Date).toISOString(),
    retiredAt: retiredAt ? retiredAt.toISOString() : undefined,
  };
}
