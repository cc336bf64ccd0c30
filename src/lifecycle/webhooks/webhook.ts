import type { DomainEventType } from '../../common/events/domain-events';

/** A contact center's webhook subscription (Standard Webhooks). */
export interface WebhookSubscription {
  id: string;
  ccid: string;
  url: string;
  events: DomainEventType[];
  /** `whsec_` + base64 of the HMAC key; shown to the operator once, at creation; stored sealed (WebhookSecrets). */
  secret: string;
  createdAt: string;
}

/** One message to one subscription: queued, then delivered, or dead after its last attempt. */
export interface WebhookDelivery {
  /** The `webhook-id` (stable across retries); ids of a subscription sort in the order their events happened. */
  id: string;
  subscriptionId: string;
  ccid: string;
  type: DomainEventType;
  /** The exact body sent (and signed). */
  payload: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt?: string;
  /** HTTP status of the last attempt, or 0 when none came back. */
  lastStatus?: number;
  lastError?: string;
}
