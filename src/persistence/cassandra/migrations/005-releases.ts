import { Migration } from './migration';

export const m005Releases: Migration = {
  version: 5,
  name: 'screen recorder releases',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.recorder_releases (
       platform text, version text, channel text, size bigint, sha256 text, signature text,
       rollout_percent int, storage_key text, file_name text, published_at timestamp, published_by text,
       PRIMARY KEY ((platform), version))`,
  ],
};
