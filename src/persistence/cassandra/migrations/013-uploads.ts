import { Migration } from './migration';

/** Version 13: resumable uploads in progress, shared by every node (changed only by LWT on the version). */
export const m013Uploads: Migration = {
  version: 13,
  name: 'uploads in progress',
  statements: ['CREATE TABLE IF NOT EXISTS {ks}.uploads (id text PRIMARY KEY, version int, updated_at bigint, doc text)'],
};
