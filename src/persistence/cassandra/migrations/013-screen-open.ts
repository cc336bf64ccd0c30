import { Migration } from './migration';

/**
 * Open screen recordings (not yet stored, failed or missing, or with events in their outbox), in one
 * partition by key: the missing-recording detector walks them (they are few: the calls of now and the last
 * hour). Webhook secrets are sealed from this version on (existing ones are sealed at startup).
 */
export const m013ScreenOpen: Migration = {
  version: 13,
  name: 'open screen recordings',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.screen_recordings_open (
       bucket int, ccid uuid, id uuid,
       PRIMARY KEY ((bucket), ccid, id))`,
  ],
};
