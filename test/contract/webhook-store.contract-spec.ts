import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { WebhookDelivery, WebhookSubscription } from '../../src/lifecycle/webhooks/webhook';
import { newMessageId } from '../../src/lifecycle/webhooks/webhook-publisher';
import { WebhookStore } from '../../src/lifecycle/webhooks/webhook.store';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

function subscriptionOf(ccid: string, createdAt: string): WebhookSubscription {
  return { id: randomUUID(), ccid, url: 'https://hooks.example.com/rws?token=t', events: ['recording.deleted'], secret: 'whsec_c2VjcmV0', createdAt };
}

function deliveryOf(subscription: WebhookSubscription): WebhookDelivery {
  const now = new Date().toISOString();
  return { id: newMessageId(), subscriptionId: subscription.id, ccid: subscription.ccid, type: 'recording.deleted', payload: '{"type":"recording.deleted","data":{"x":"é"}}', state: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now };
}

describe.each(METADATA_BACKENDS)('WebhookStore contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let store: WebhookStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(WebhookStore);
  }, 120_000);
  afterAll(() => moduleRef?.close());

  it('stores, lists (per contact center and all) and deletes subscriptions', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const second = subscriptionOf(a, '2026-01-02T00:00:00.000Z');
    const first = subscriptionOf(a, '2026-01-01T00:00:00.000Z');
    const other = subscriptionOf(b, '2026-01-01T00:00:00.000Z');
    for (const s of [second, first, other]) await store.putSubscription(s);
    await expect(store.listSubscriptions(a)).resolves.toEqual([first, second]);
    await expect(store.getSubscription(a, first.id)).resolves.toEqual(first);
    await expect(store.getSubscription(b, first.id)).resolves.toBeUndefined();
    expect(await store.listAllSubscriptions()).toEqual(expect.arrayContaining([first, second, other]));
    await expect(store.deleteSubscription(b, first.id)).resolves.toBe(false);
    for (const s of [first, second, other]) await expect(store.deleteSubscription(s.ccid, s.id)).resolves.toBe(true);
    await expect(store.listSubscriptions(a)).resolves.toEqual([]);
  });

  it('queues deliveries in creation order; delivered and dead ones leave the queue but stay in the log', async () => {
    const subscription = subscriptionOf(randomUUID(), new Date().toISOString());
    const deliveries = Array.from({ length: 5 }, () => deliveryOf(subscription));
    for (const d of deliveries) await store.enqueue(d);
    await expect(store.pending(subscription.id, 3)).resolves.toEqual(deliveries.slice(0, 3));

    const retried: WebhookDelivery = { ...deliveries[0], attempts: 1, lastStatus: 503, lastError: 'HTTP 503', nextAttemptAt: new Date(Date.now() + 1000).toISOString() };
    await store.updateDelivery(retried);
    await expect(store.pending(subscription.id, 1)).resolves.toEqual([retried]);

    const delivered: WebhookDelivery = { ...retried, attempts: 2, state: 'delivered', deliveredAt: new Date().toISOString(), lastStatus: 204, lastError: undefined };
    const dead: WebhookDelivery = { ...deliveries[1], attempts: 3, state: 'dead', lastStatus: 500 };
    await store.updateDelivery(delivered);
    await store.updateDelivery(dead);
    await expect(store.pending(subscription.id, 10)).resolves.toEqual(deliveries.slice(2));
    const log = await store.listDeliveries(subscription.id, 10);
    expect(log.map((d) => d.id)).toEqual(deliveries.map((d) => d.id).reverse());
    expect(log.slice(-2)).toEqual([JSON.parse(JSON.stringify(dead)), JSON.parse(JSON.stringify(delivered))]);
    await expect(store.listDeliveries(subscription.id, 2)).resolves.toHaveLength(2);
    await expect(store.pending(randomUUID(), 10)).resolves.toEqual([]);
  });
});
