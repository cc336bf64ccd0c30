import { Migration } from './migration';

/**
 * Open screen recordings (not yet stored, failed or missing, or with events in their outbox), in one
 * partition by key: the missing-recording detector walks them (they are few: the calls of now and the last
 * hour). Version 17 (issue 17): 13 to 16 are taken by work developed alongside.
 */
export const m017ScreenOpen: Migration = {
  version: 17,
  name: 'open screen recordings',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.screen_recordings_open (
       bucket int, ccid uuid, id uuid,
       PRIMARY KEY ((bucket), ccid, id))`,
  ],
};
