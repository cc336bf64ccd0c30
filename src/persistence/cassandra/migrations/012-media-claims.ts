import { Migration } from './migration';

/** Version 12 (10 and 11 are the lifecycle and webhook migrations developed alongside). Which recording owns each voice media object (one row per canonical location, claimed with LWT). */
export const m012MediaClaims: Migration = {
  version: 12,
  name: 'voice media claims',
  statements: ['CREATE TABLE IF NOT EXISTS {ks}.media_claims (location text PRIMARY KEY, ccid text, recording_id text)'],
};
