import { Migration } from './migration';

export const m006ScreenRecordings: Migration = {
  version: 6,
  name: 'screen recordings',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.screen_recordings (
       ccid uuid, id uuid, doc text, PRIMARY KEY ((ccid, id)))`,
    `CREATE TABLE IF NOT EXISTS {ks}.screen_recordings_by_call (
       ccid uuid, call_uuid text, start_time timestamp, id uuid,
       PRIMARY KEY ((ccid, call_uuid), start_time, id))`,
    `CREATE TABLE IF NOT EXISTS {ks}.screen_recordings_by_user_day (
       ccid uuid, user_name text, day date, start_time timestamp, id uuid,
       PRIMARY KEY ((ccid, user_name, day), start_time, id)) WITH CLUSTERING ORDER BY (start_time DESC, id ASC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.screen_recordings_by_day (
       ccid uuid, region text, day date, start_time timestamp, id uuid,
       PRIMARY KEY ((ccid, region, day), start_time, id)) WITH CLUSTERING ORDER BY (start_time DESC, id ASC)`,
  ],
};
