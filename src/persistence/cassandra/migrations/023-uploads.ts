import { Migration } from './migration';

/** Version 23 (13–22 are taken or reserved by work developed alongside): resumable uploads in progress, shared by every node (changed only by LWT on the version). */
export const m023Uploads: Migration = {
  version: 23,
  name: 'uploads in progress',
  statements: ['CREATE TABLE IF NOT EXISTS {ks}.uploads (id text PRIMARY KEY, version int, updated_at bigint, doc text)'],
};
