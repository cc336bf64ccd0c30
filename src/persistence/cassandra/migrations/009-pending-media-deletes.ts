import { Migration } from './migration';

/**
 * Media deletes that failed (storage unreachable) and are retried with backoff until they succeed.
 * Version 9: version 8 is the telephony resources' migration (places and DNs), developed alongside.
 */
export const m009PendingMediaDeletes: Migration = {
  version: 9,
  name: 'pending media deletes',
  statements: ['CREATE TABLE IF NOT EXISTS {ks}.pending_media_deletes (shard int, id text, ccid text, doc text, PRIMARY KEY (shard, id))'],
};
