import { Migration } from './migration';

/**
 * Voice recordings, designed query-first (components.md): the document by (ccid, id) is the truth; the
 * other tables are lookup entries pointing at it, each carrying the recording's search facts so filters
 * run on the entries and only a page's documents are read.
 *
 * - recording_lookup: one partition per (ccid, region, kind, value, UTC day); kinds `all` (the day bucket
 *   itself), agent, user, partition, label, callType; callUuid and connId use day -1 (a call has few
 *   recordings). A recording has entries in every day it touches.
 * - recording_numbers: normalised and reversed numbers clustered by (number, start_time DESC, id DESC):
 *   exact numbers read in time order, `1617*` / `*1234` patterns read as number ranges.
 * - recording_days: the days that hold recordings, so a search without a window walks only those.
 */
export const m004Recordings: Migration = {
  version: 4,
  name: 'voice recordings',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.recordings_by_id (
       ccid uuid, id text, region text, start_time timestamp, version int, doc text,
       PRIMARY KEY ((ccid, id)))`,
    `CREATE TABLE IF NOT EXISTS {ks}.recording_days (
       ccid uuid, region text, day int,
       PRIMARY KEY ((ccid, region), day)) WITH CLUSTERING ORDER BY (day DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.recording_lookup (
       ccid uuid, region text, kind text, value text, day int, start_time timestamp, id text, facts text,
       PRIMARY KEY ((ccid, region, kind, value, day), start_time, id))
       WITH CLUSTERING ORDER BY (start_time DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.recording_numbers (
       ccid uuid, region text, field text, day int, number text, start_time timestamp, id text, facts text,
       PRIMARY KEY ((ccid, region, field, day), number, start_time, id))
       WITH CLUSTERING ORDER BY (number ASC, start_time DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.recording_label_definitions (
       ccid uuid, name text, definition text,
       PRIMARY KEY ((ccid), name))`,
  ],
};
