import type { WebhookDelivery, WebhookSubscription } from './webhook';

/** Persistence port for webhook subscriptions and their delivery queue and log. */
export abstract class WebhookStore {
  abstract putSubscription(subscription: WebhookSubscription): Promise<void>;
  abstract getSubscription(ccid: string, id: string): Promise<WebhookSubscription | undefined>;
  /** A contact center's subscriptions, oldest first. */
  abstract listSubscriptions(ccid: string): Promise<WebhookSubscription[]>;
  /** Every subscription of the node (the dispatcher's view; subscriptions are few). */
  abstract listAllSubscriptions(): Promise<WebhookSubscription[]>;
  abstract deleteSubscription(ccid: string, id: string): Promise<boolean>;

  /** Queues a new delivery (durable when this resolves). */
  abstract enqueue(delivery: WebhookDelivery): Promise<void>;
  /** The oldest pending deliveries of a subscription, in id order. */
  abstract pending(subscriptionId: string, limit: number): Promise<WebhookDelivery[]>;
  /** Records an attempt's outcome; a delivered or dead delivery leaves the queue. */
  abstract updateDelivery(delivery: WebhookDelivery): Promise<void>;
  /** A subscription's deliveries, newest first. */
  abstract listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]>;
}
