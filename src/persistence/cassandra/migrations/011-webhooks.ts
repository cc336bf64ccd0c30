import { Migration } from './migration';

/**
 * Webhook subscriptions and deliveries (docs/lifecycle.md).
 * - webhook_subscriptions: every subscription of the node in one partition (few; the dispatcher reads all).
 * - webhook_deliveries: a subscription's delivery log, newest first; rows expire after 30 days.
 * - webhook_pending: the queue, oldest first; a delivered or dead message leaves it.
 */
export const m011Webhooks: Migration = {
  version: 11,
  name: 'webhook subscriptions, delivery log and queue',
  statements: [
    `CREATE TABLE IF NOT EXISTS {ks}.webhook_subscriptions (
       scope text, ccid uuid, id uuid, subscription text,
       PRIMARY KEY ((scope), ccid, id))`,
    `CREATE TABLE IF NOT EXISTS {ks}.webhook_deliveries (
       subscription_id uuid, id text, delivery text,
       PRIMARY KEY ((subscription_id), id)) WITH CLUSTERING ORDER BY (id DESC) AND default_time_to_live = 2592000`,
    `CREATE TABLE IF NOT EXISTS {ks}.webhook_pending (
       subscription_id uuid, id text,
       PRIMARY KEY ((subscription_id), id)) WITH CLUSTERING ORDER BY (id ASC)`,
  ],
};
