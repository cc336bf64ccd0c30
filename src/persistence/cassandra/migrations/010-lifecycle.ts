import { Migration } from './migration';

/**
 * Recording lifecycle (docs/lifecycle.md).
 * - retention_policies: every policy of the node in one partition (they are few; the scheduler reads all).
 * - retention_runs: the checkpoints of a policy's runs, newest first (run ids start with their start time).
 * - deletion_receipts: signed receipts per contact center, newest first (ids start with their issue time).
 * - leases: one row per named job, owned through lightweight transactions and expiring with a TTL.
 */
export const m010Lifecycle: Migration = {
  version: 10,
  name: 'recording lifecycle: retention policies, runs, receipts, leases',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.retention_policies (
       scope text, ccid uuid, id uuid, created_at timestamp, doc text,
       PRIMARY KEY ((scope), ccid, id))`,
    `CREATE TABLE IF NOT EXISTS {ks}.retention_runs (
       ccid uuid, policy_id uuid, run_id text, doc text,
       PRIMARY KEY ((ccid, policy_id), run_id)) WITH CLUSTERING ORDER BY (run_id DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.deletion_receipts (
       ccid uuid, id text, receipt text,
       PRIMARY KEY ((ccid), id)) WITH CLUSTERING ORDER BY (id DESC)`,
    `CREATE TABLE IF NOT EXISTS {ks}.leases (
       name text PRIMARY KEY, owner text, expires_at timestamp)`,
  ],
};
