import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import type { WebhookDelivery, WebhookSubscription } from '../../lifecycle/webhooks/webhook';
import { WebhookStore } from '../../lifecycle/webhooks/webhook.store';
import { CassandraConnection } from './cassandra-connection';

const SCOPE = 'all';

/**
 * WebhookStore on Cassandra (migration 011). The log row is written before the queue row, so a queued id
 * always has its delivery; log rows live `RWS_WEBHOOK_LOG_DAYS` after their last write (TTL).
 */
@Injectable()
export class CassandraWebhookStore extends WebhookStore {
  constructor(
    private readonly cql: CassandraConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async putSubscription(s: WebhookSubscription): Promise<void> {
    await this.cql.execute('INSERT INTO webhook_subscriptions (scope, ccid, id, subscription) VALUES (?, ?, ?, ?)', [SCOPE, s.ccid, s.id, JSON.stringify(s)], { idempotent: true });
  }

  async getSubscription(ccid: string, id: string): Promise<WebhookSubscription | undefined> {
    const row = (await this.cql.execute('SELECT subscription FROM webhook_subscriptions WHERE scope = ? AND ccid = ? AND id = ?', [SCOPE, ccid, id], { idempotent: true })).first();
    return row ? (JSON.parse(row.subscription as string) as WebhookSubscription) : undefined;
  }

  async listSubscriptions(ccid: string): Promise<WebhookSubscription[]> {
    const result = await this.cql.execute('SELECT subscription FROM webhook_subscriptions WHERE scope = ? AND ccid = ?', [SCOPE, ccid], { idempotent: true, fetchSize: 5000 });
    return sortByCreation(result.rows.map((r) => JSON.parse(r.subscription as string) as WebhookSubscription));
  }

  async listAllSubscriptions(): Promise<WebhookSubscription[]> {
    const all: WebhookSubscription[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute('SELECT subscription FROM webhook_subscriptions WHERE scope = ?', [SCOPE], { idempotent: true, fetchSize: 5000, pageState });
      all.push(...page.rows.map((r) => JSON.parse(r.subscription as string) as WebhookSubscription));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return sortByCreation(all);
  }

  async deleteSubscription(ccid: string, id: string): Promise<boolean> {
    const result = await this.cql.execute('DELETE FROM webhook_subscriptions WHERE scope = ? AND ccid = ? AND id = ? IF EXISTS', [SCOPE, ccid, id], { idempotent: false });
    return result.wasApplied();
  }

  async enqueue(d: WebhookDelivery): Promise<void> {
    await this.writeDelivery(d);
    await this.cql.execute('INSERT INTO webhook_pending (subscription_id, id) VALUES (?, ?)', [d.subscriptionId, d.id], { idempotent: true });
  }

  async pending(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    const ids = (await this.cql.execute('SELECT id FROM webhook_pending WHERE subscription_id = ? LIMIT ?', [subscriptionId, limit], { idempotent: true })).rows.map((r) => r.id as string);
    if (ids.length === 0) return [];
    const rows = await this.cql.execute('SELECT id, delivery FROM webhook_deliveries WHERE subscription_id = ? AND id IN ?', [subscriptionId, ids], { idempotent: true });
    const byId = new Map(rows.rows.map((r) => [r.id as string, JSON.parse(r.delivery as string) as WebhookDelivery]));
    // A queue row whose log row expired has nothing left to send: dropped, so it cannot hold the queue up.
    for (const id of ids.filter((i) => !byId.has(i))) await this.cql.execute('DELETE FROM webhook_pending WHERE subscription_id = ? AND id = ?', [subscriptionId, id], { idempotent: true });
    return ids.map((id) => byId.get(id)).filter((d): d is WebhookDelivery => d !== undefined);
  }

  async updateDelivery(d: WebhookDelivery): Promise<void> {
    await this.writeDelivery(d);
    if (d.state !== 'pending') await this.cql.execute('DELETE FROM webhook_pending WHERE subscription_id = ? AND id = ?', [d.subscriptionId, d.id], { idempotent: true });
  }

  async listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    const result = await this.cql.execute('SELECT delivery FROM webhook_deliveries WHERE subscription_id = ? LIMIT ?', [subscriptionId, limit], { idempotent: true });
    return result.rows.map((r) => JSON.parse(r.delivery as string) as WebhookDelivery);
  }

  private async writeDelivery(d: WebhookDelivery): Promise<void> {
    const ttl = Math.max(1, Math.round(this.config.webhooks.logMs / 1000));
    await this.cql.execute(`INSERT INTO webhook_deliveries (subscription_id, id, delivery) VALUES (?, ?, ?) USING TTL ${ttl}`, [d.subscriptionId, d.id, JSON.stringify(d)], { idempotent: true });
  }
}

function sortByCreation(list: WebhookSubscription[]): WebhookSubscription[] {
  return list.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}
