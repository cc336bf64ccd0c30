import { Injectable } from '@nestjs/common';
import type { WebhookDelivery, WebhookSubscription } from '../../lifecycle/webhooks/webhook';
import { WebhookStore } from '../../lifecycle/webhooks/webhook.store';
import { EmbeddedDatabase } from './embedded-database';

const SUBSCRIPTIONS = 'webhook_subscriptions';
const DELIVERIES = 'webhook_deliveries';
const PENDING = 'webhook_pending';

/** WebhookStore on the embedded database: the queue is the set of pending rows, the log every delivery. */
@Injectable()
export class EmbeddedWebhookStore extends WebhookStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  async putSubscription(subscription: WebhookSubscription): Promise<void> {
    await this.db.put(SUBSCRIPTIONS, `${subscription.ccid}/${subscription.id}`, { subscription });
  }

  async getSubscription(ccid: string, id: string): Promise<WebhookSubscription | undefined> {
    const row = this.db.get(SUBSCRIPTIONS, `${ccid}/${id}`);
    return row ? (structuredClone(row.subscription) as WebhookSubscription) : undefined;
  }

  async listSubscriptions(ccid: string): Promise<WebhookSubscription[]> {
    return (await this.listAllSubscriptions()).filter((s) => s.ccid === ccid);
  }

  async listAllSubscriptions(): Promise<WebhookSubscription[]> {
    return [...this.db.values(SUBSCRIPTIONS)]
      .map((row) => structuredClone(row.subscription) as WebhookSubscription)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  deleteSubscription(ccid: string, id: string): Promise<boolean> {
    return this.db.delete(SUBSCRIPTIONS, `${ccid}/${id}`);
  }

  async enqueue(delivery: WebhookDelivery): Promise<void> {
    await this.db.put(DELIVERIES, keyOf(delivery), { subscriptionId: delivery.subscriptionId, delivery });
    await this.db.put(PENDING, keyOf(delivery), { subscriptionId: delivery.subscriptionId, id: delivery.id });
  }

  async pending(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    return [...this.db.values(PENDING)]
      .filter((row) => row.subscriptionId === subscriptionId)
      .map((row) => row.id as string)
      .sort()
      .slice(0, limit)
      .map((id) => this.db.get(DELIVERIES, `${subscriptionId}/${id}`))
      .filter((row) => row !== undefined)
      .map((row) => structuredClone(row.delivery) as WebhookDelivery);
  }

  async updateDelivery(delivery: WebhookDelivery): Promise<void> {
    await this.db.put(DELIVERIES, keyOf(delivery), { subscriptionId: delivery.subscriptionId, delivery });
    if (delivery.state !== 'pending') await this.db.delete(PENDING, keyOf(delivery));
  }

  async listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    return [...this.db.values(DELIVERIES)]
      .filter((row) => row.subscriptionId === subscriptionId)
      .map((row) => row.delivery as WebhookDelivery)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map((d) => structuredClone(d));
  }
}

function keyOf(delivery: WebhookDelivery): string {
  return `${delivery.subscriptionId}/${delivery.id}`;
}
