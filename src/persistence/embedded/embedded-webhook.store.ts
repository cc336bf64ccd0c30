import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import type { WebhookDelivery, WebhookSubscription } from '../../lifecycle/webhooks/webhook';
import { WebhookStore } from '../../lifecycle/webhooks/webhook.store';
import { EmbeddedDatabase } from './embedded-database';
import { ExpiringRows } from './expiring-rows';

const SUBSCRIPTIONS = 'webhook_subscriptions';
const DELIVERIES = 'webhook_deliveries';
const PENDING = 'webhook_pending';

/**
 * WebhookStore on the embedded database: the queue is the set of pending rows, the log every delivery. A
 * log row expires `RWS_WEBHOOK_LOG_DAYS` after its last write (the queue row of one that expired is dropped).
 */
@Injectable()
export class EmbeddedWebhookStore extends WebhookStore {
  private readonly log: ExpiringRows;

  constructor(
    private readonly db: EmbeddedDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.log = new ExpiringRows(db, DELIVERIES);
  }

  async putSubscription(subscription: WebhookSubscription): Promise<void> {
    await this.db.put(SUBSCRIPTIONS, `${subscription.ccid}/${subscription.id}`, { subscription });
  }

  async getSubscription(ccid: string, id: string): Promise<WebhookSubscription | undefined> {
    const row = this.db.get(SUBSCRIPTIONS, `${ccid}/${id}`);
    return row?.subscription as WebhookSubscription | undefined;
  }

  async listSubscriptions(ccid: string): Promise<WebhookSubscription[]> {
    return (await this.listAllSubscriptions()).filter((s) => s.ccid === ccid);
  }

  async listAllSubscriptions(): Promise<WebhookSubscription[]> {
    return [...this.db.values(SUBSCRIPTIONS)]
      .map((row) => row.subscription as WebhookSubscription)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  deleteSubscription(ccid: string, id: string): Promise<boolean> {
    return this.db.delete(SUBSCRIPTIONS, `${ccid}/${id}`);
  }

  async enqueue(delivery: WebhookDelivery): Promise<void> {
    // The same message queued again (an outbox relayed twice) is not sent again once it was.
    const logged = this.log.get(keyOf(delivery))?.delivery as WebhookDelivery | undefined;
    if (logged && logged.state !== 'pending') return;
    if (!logged) await this.writeLog(delivery);
    await this.db.put(PENDING, keyOf(delivery), { subscriptionId: delivery.subscriptionId, id: delivery.id });
  }

  async pending(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    const ids = [...this.db.values(PENDING)]
      .filter((row) => row.subscriptionId === subscriptionId)
      .map((row) => row.id as string)
      .sort()
      .slice(0, limit);
    const out: WebhookDelivery[] = [];
    for (const id of ids) {
      const row = this.log.get(`${subscriptionId}/${id}`);
      if (row) out.push(row.delivery as WebhookDelivery);
      else await this.db.delete(PENDING, `${subscriptionId}/${id}`); // its log row expired: nothing left to send
    }
    return out;
  }

  async updateDelivery(delivery: WebhookDelivery): Promise<void> {
    await this.writeLog(delivery);
    if (delivery.state !== 'pending') await this.db.delete(PENDING, keyOf(delivery));
  }

  async listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.log
      .values()
      .filter((row) => row.subscriptionId === subscriptionId)
      .map((row) => row.delivery as WebhookDelivery)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }

  private writeLog(delivery: WebhookDelivery): Promise<void> {
    const expiresAt = new Date(Date.now() + this.config.webhooks.logMs).toISOString();
    return this.log.put(keyOf(delivery), { subscriptionId: delivery.subscriptionId, delivery }, expiresAt);
  }
}

function keyOf(delivery: WebhookDelivery): string {
  return `${delivery.subscriptionId}/${delivery.id}`;
}
