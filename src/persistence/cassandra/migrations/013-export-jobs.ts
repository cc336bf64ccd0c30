import { Migration } from './migration';

/**
 * Export jobs (docs/lifecycle.md).
 * - export_jobs: a contact center's jobs, newest first (ids start with their creation time); `cancel_requested`
 *   is a column of its own, so a runner's checkpoint (which writes `doc` only) never undoes a cancel.
 * - export_jobs_active: jobs waiting for a runner or running, in one partition (few; the scheduler reads all).
 * - export_items: per recording of a job, its state, in recording id order.
 */
export const m013ExportJobs: Migration = {
  version: 13,
  name: 'export jobs and their per-recording progress',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.export_jobs (
       ccid uuid, id text, doc text, cancel_requested boolean,
       PRIMARY KEY ((ccid), id)) WITH CLUSTERING ORDER BY (id DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.export_jobs_active (
       scope text, ccid uuid, id text,
       PRIMARY KEY ((scope), ccid, id))`,
    `CREATE TABLE IF NOT EXISTS {ks}.export_items (
       ccid uuid, job_id text, recording_id text, state text, item text,
       PRIMARY KEY ((ccid, job_id), recording_id))`,
  ],
};
