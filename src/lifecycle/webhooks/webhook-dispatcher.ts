import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { LeaseStore } from '../../cluster/lease.store';
import { CoalescedPass } from '../../common/async/coalesced-pass';
import type { WebhookDelivery, WebhookSubscription } from './webhook';
import { sendWebhook } from './webhook-sender';
import { WebhookSecrets } from './webhook-secrets';
import { webhookSignature } from './webhook-signature';
import { WebhookStore } from './webhook.store';

export const WEBHOOK_LEASE = 'webhook-dispatcher';
/** Pending deliveries read per subscription and pass. */
const BATCH = 50;

/**
 * Delivers queued webhook messages at least once, in order per subscription: a subscription's oldest
 * pending message goes first, and the next waits until it is delivered or dead. A failed attempt is
 * retried with exponential backoff (base × 2^(attempt−1), capped); after the last attempt the message is
 * dead (listed as a dead letter) and the next one goes. One node of a cluster dispatches, through a lease.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly passes = new CoalescedPass(
    () => this.runPass(),
    (err) => this.logger.warn({ msg: 'webhook pass failed', error: err.message }),
  );
  /** Subscriptions whose queue is being sent now, with the promise of that drain. */
  private readonly draining = new Map<string, Promise<void>>();

  constructor(
    private readonly store: WebhookStore,
    private readonly leases: LeaseStore,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.passes.every(this.config.webhooks.pollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.passes.stop();
    await Promise.all(this.draining.values());
    await this.leases.release(WEBHOOK_LEASE, this.owner).catch(() => undefined);
  }

  /** Delivers now (a message was queued); a pass under way is followed by another. */
  kick(): void {
    this.passes.request();
  }

  private async runPass(): Promise<void> {
    if (!(await this.leases.acquire(WEBHOOK_LEASE, this.owner, Math.max(10_000, this.config.webhooks.pollMs * 5)))) return;
    const subscriptions = await this.store.listAllSubscriptions();
    // Each subscription drains on its own: a receiver that is slow to answer (up to the attempt timeout)
    // holds up its own queue only, never the next pass or the other subscriptions.
    for (const s of subscriptions) {
      if (this.draining.has(s.id)) continue;
      const drained = this.drain(s)
        .catch((err: Error) => this.logger.warn({ msg: 'webhook drain failed', subscriptionId: s.id, error: err.message }))
        .finally(() => this.draining.delete(s.id));
      this.draining.set(s.id, drained);
    }
  }

  /** Sends a subscription's pending messages in order until one is not due yet or fails. */
  private async drain(subscription: WebhookSubscription): Promise<void> {
    for (;;) {
      const pending = await this.store.pending(subscription.id, BATCH);
      if (pending.length === 0) return;
      for (const delivery of pending) {
        if (this.passes.stopping || Date.parse(delivery.nextAttemptAt) > Date.now()) return;
        if (!(await this.attempt(subscription, delivery))) return;
      }
    }
  }

  /** One attempt; true when the queue may move on (delivered, or dead). */
  private async attempt(subscription: WebhookSubscription, delivery: WebhookDelivery): Promise<boolean> {
    let secret: string;
    try {
      secret = this.secrets.secretOf(subscription);
    } catch (err) {
      // Sealed under a master key this node was not given: the message waits for a node that has it.
      this.logger.error({ msg: 'webhook secret cannot be opened on this node', subscriptionId: subscription.id, error: (err as Error).message });
      return false;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignature(secret, delivery.id, timestamp, delivery.payload),
    };
    const result = await sendWebhook(subscription.url, headers, delivery.payload, this.config.webhooks.allowPrivate);
    const now = new Date();
    const attempts = delivery.attempts + 1;
    if (result.status >= 200 && result.status < 300) {
      await this.store.updateDelivery({ ...delivery, attempts, state: 'delivered', deliveredAt: now.toISOString(), lastStatus: result.status, lastError: undefined });
      return true;
    }
    const { retryBaseMs, retryMaxMs, maxAttempts } = this.config.webhooks;
    const dead = attempts >= maxAttempts;
    const backoff = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1));
    await this.store.updateDelivery({
      ...delivery,
      attempts,
      state: dead ? 'dead' : 'pending',
      nextAttemptAt: new Date(now.getTime() + backoff).toISOString(),
      lastStatus: result.status,
      lastError: result.error ?? `HTTP ${result.status}`,
    });
    if (dead) this.logger.warn({ msg: 'webhook message dead', subscriptionId: subscription.id, id: delivery.id, attempts });
    if (!dead) this.retryLater(backoff);
    return dead;
  }

  /** Makes sure a pass runs when a backoff ends, even if the poll interval is longer. */
  private retryLater(ms: number): void {
    if (this.passes.stopping || ms >= this.config.webhooks.pollMs) return;
    setTimeout(() => this.kick(), ms + 5).unref();
  }
}
