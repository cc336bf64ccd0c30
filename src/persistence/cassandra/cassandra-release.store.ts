import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { Release } from '../../releases/release';
import { ReleaseStore } from '../../releases/release.store';
import { CassandraConnection } from './cassandra-connection';

const COLUMNS = 'platform, version, channel, size, sha256, signature, rollout_percent, storage_key, file_name, published_at, published_by';

/** ReleaseStore on Cassandra: one partition per platform (a few hundred rows at most). */
@Injectable()
export class CassandraReleaseStore extends ReleaseStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(r: Release): Promise<boolean> {
    const result = await this.cql.execute(
      `INSERT INTO recorder_releases (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      [r.platform, r.version, r.channel, types.Long.fromNumber(r.size), r.sha256, r.signature ?? null, r.rolloutPercent, r.storageKey, r.fileName, new Date(r.publishedAt), r.publishedBy],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async get(platform: string, version: string): Promise<Release | undefined> {
    const result = await this.cql.execute(`SELECT ${COLUMNS} FROM recorder_releases WHERE platform = ? AND version = ?`, [platform, version], { idempotent: true });
    const row = result.first();
    return row ? toRelease(row) : undefined;
  }

  async listByPlatform(platform: string): Promise<Release[]> {
    const result = await this.cql.execute(`SELECT ${COLUMNS} FROM recorder_releases WHERE platform = ?`, [platform], { idempotent: true, fetchSize: 1000 });
    return result.rows.map(toRelease);
  }
}

function toRelease(row: types.Row): Release {
  return {
    platform: row.platform,
    version: row.version,
    channel: row.channel,
    size: (row.size as types.Long).toNumber(),
    sha256: row.sha256,
    signature: row.signature ?? undefined,
    rolloutPercent: row.rollout_percent,
    storageKey: row.storage_key,
    fileName: row.file_name,
    publishedAt: (row.published_at as Date).toISOString(),
    publishedBy: row.published_by,
  };
}
