import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DomainEvent, DomainEvents } from '../../common/events/domain-events';
import { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookSubscription } from './webhook';
import { WebhookStore } from './webhook.store';

/** How long a node uses its copy of a contact center's subscriptions (another node's change shows after this). */
const CACHE_MS = 2_000;

let lastMs = 0;
let sequence = 0;

/**
 * A message id that sorts in the order this process created its messages (time, then a counter), with a
 * random tail so that ids of two nodes never collide: `msg_<13-digit ms><6-digit counter><random>`.
 */
export function newMessageId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else sequence++;
  return `msg_${String(lastMs).padStart(13, '0')}${String(sequence).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
}

/**
 * Publishes lifecycle events as webhook messages: one queued delivery per subscription of the contact
 * center that asked for the event type (durable before publish resolves), then a dispatch is started.
 */
@Injectable()
export class WebhookPublisher extends DomainEvents {
  /** Subscriptions per contact center, read at most every CACHE_MS (inserts publish; they should not pay a read each). */
  private readonly cache = new Map<string, { at: number; subscriptions: Promise<WebhookSubscription[]> }>();

  constructor(
    private readonly store: WebhookStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {
    super();
  }

  async publish(event: DomainEvent): Promise<void> {
    const subscriptions = (await this.subscriptionsOf(event.ccid)).filter((s) => s.events.includes(event.type));
    if (subscriptions.length === 0) return;
    const now = new Date().toISOString();
    const payload = JSON.stringify({ type: event.type, timestamp: now, data: { ccid: event.ccid, ...event.data } });
    for (const s of subscriptions) {
      await this.store.enqueue({ id: newMessageId(), subscriptionId: s.id, ccid: s.ccid, type: event.type, payload, state: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
    }
    this.dispatcher.kick();
  }

  /** Forgets the cached subscriptions of a contact center (this node changed them). */
  invalidate(ccid: string): void {
    this.cache.delete(ccid);
  }

  private subscriptionsOf(ccid: string): Promise<WebhookSubscription[]> {
    const cached = this.cache.get(ccid);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.subscriptions;
    const subscriptions = this.store.listSubscriptions(ccid);
    this.cache.set(ccid, { at: Date.now(), subscriptions });
    subscriptions.catch(() => this.cache.delete(ccid));
    return subscriptions;
  }
}
