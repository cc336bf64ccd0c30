import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DomainEvent, DomainEvents } from '../../common/events/domain-events';
import { newEventId } from '../../common/events/event-ids';
import { WebhookDispatcher } from './webhook-dispatcher';
import type { WebhookSubscription } from './webhook';
import { WebhookStore } from './webhook.store';

/** How long a node uses its copy of a contact center's subscriptions (another node's change shows after this). */
const CACHE_MS = 2_000;
/** Events kept for a retry while the store is down (beyond this the oldest is dropped, with an error line). */
const MAX_RETRYING = 10_000;
const RETRY_MAX_MS = 30_000;

/** Kept for callers of the old name (tests). */
export const newMessageId = newEventId;

/**
 * Publishes lifecycle events as webhook messages: one queued delivery per subscription of the contact
 * center that asked for the event type (durable before publish resolves), then a dispatch is started.
 *
 * Each event gets one id, used for the message of every subscription, so queuing it again (a retry, or an
 * outbox relayed twice) rewrites the same messages instead of adding new ones. An event whose action is
 * already durable is never dropped because the queue write failed:
 * - with an `id`, the caller holds it in an outbox (written with the action) and relays it again: publish rejects;
 * - without one, it is retried here with backoff until the store takes it (publish resolves).
 */
@Injectable()
export class WebhookPublisher extends DomainEvents implements OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  /** Subscriptions per contact center, read at most every CACHE_MS (inserts publish; they should not pay a read each). */
  private readonly cache = new Map<string, { at: number; subscriptions: Promise<WebhookSubscription[]> }>();
  private readonly retrying: (DomainEvent & { id: string; occurredAt: string })[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 100;

  constructor(
    private readonly store: WebhookStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {
    super();
  }

  async publish(event: DomainEvent): Promise<void> {
    const stamped = { ...event, id: event.id ?? newEventId(), occurredAt: event.occurredAt ?? new Date().toISOString() };
    try {
      await this.queue(stamped);
    } catch (err) {
      if (event.id) throw err;
      this.keepForRetry(stamped, err as Error);
    }
  }

  /** Forgets the cached subscriptions of a contact center (this node changed them). */
  invalidate(ccid: string): void {
    this.cache.delete(ccid);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
    if (this.retrying.length) this.logger.error({ msg: 'lifecycle events not queued at shutdown', count: this.retrying.length, types: [...new Set(this.retrying.map((e) => e.type))] });
  }

  private async queue(event: DomainEvent & { id: string; occurredAt: string }): Promise<void> {
    const subscriptions = (await this.subscriptionsOf(event.ccid)).filter((s) => s.events.includes(event.type));
    if (subscriptions.length === 0) return;
    const now = new Date().toISOString();
    const payload = JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: { ccid: event.ccid, ...event.data } });
    for (const s of subscriptions) {
      await this.store.enqueue({ id: event.id, subscriptionId: s.id, ccid: s.ccid, type: event.type, payload, state: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
    }
    this.dispatcher.kick();
  }

  private keepForRetry(event: DomainEvent & { id: string; occurredAt: string }, err: Error): void {
    this.logger.warn({ msg: 'lifecycle event not queued yet, retrying', type: event.type, error: err.message });
    this.retrying.push(event);
    if (this.retrying.length > MAX_RETRYING) {
      const dropped = this.retrying.shift()!;
      this.logger.error({ msg: 'lifecycle event lost', type: dropped.type, reason: `more than ${MAX_RETRYING} events waiting for the store` });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => void this.retry(), this.retryDelayMs);
    this.retryTimer.unref();
  }

  /** Queues the waiting events in their order; stops at the first failure and tries again later. */
  private async retry(): Promise<void> {
    this.retryTimer = undefined;
    while (this.retrying.length) {
      try {
        await this.queue(this.retrying[0]);
        this.retrying.shift();
        this.retryDelayMs = 100;
      } catch {
        this.retryDelayMs = Math.min(RETRY_MAX_MS, this.retryDelayMs * 2);
        break;
      }
    }
    if (this.retrying.length) this.scheduleRetry();
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
