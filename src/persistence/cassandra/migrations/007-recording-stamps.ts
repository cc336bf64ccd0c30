import { Migration } from './migration';

/**
 * The write time (µs) of a recording version's lookup entries, kept with the document: the next version's
 * entries are written at a later one, so entries of an older version written late never win over newer ones.
 */
export const m007RecordingStamps: Migration = {
  version: 7,
  name: 'recording entry stamps',
  statements: ['ALTER TABLE {ks}.recordings_by_id ADD IF NOT EXISTS stamp bigint'],
};
