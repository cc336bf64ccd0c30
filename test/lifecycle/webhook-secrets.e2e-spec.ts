import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookStore } from '../../src/lifecycle/webhooks/webhook.store';
import { newWebhookSecret } from '../../src/lifecycle/webhooks/webhook-signature';
import { client, createContactCenter } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';
import { DAY_MS, postRecording } from './lifecycle-fixtures';
import { WebhookReceiver } from './webhook-receiver';

/**
 * Webhook secrets are sealed at rest with the master key on both stores, rows from before are sealed at the
 * next start (and still sign with the secret their receiver holds), and the delivery log expires.
 */
const ENV = { RWS_WEBHOOK_ALLOW_PRIVATE: 'true', RWS_WEBHOOK_POLL_MS: '100', RWS_WEBHOOK_RETRY_BASE_MS: '50', RWS_RETENTION_INTERVAL_SECONDS: '0' };

/**
 * The embedded store expires log rows itself (Cassandra's is its TTL: a two-second TTL there would race the
 * dispatcher's lease in the keyspace the suites share).
 */
describe('webhook delivery log expiry (embedded)', () => {
  const receiver = new WebhookReceiver();
  let app: TestApp | undefined;
  beforeAll(() => receiver.start());
  afterAll(async () => {
    await app?.close();
    await receiver.stop();
  });

  it('forgets delivered messages after RWS_WEBHOOK_LOG_DAYS (here under two seconds)', async () => {
    app = await startTestApp(testConfig({ env: { ...ENV, RWS_WEBHOOK_LOG_DAYS: '0.00002' } }));
    const ccid = await createContactCenter(app);
    const created = await client(app).post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: receiver.url, events: ['voiceRecording.stored'] });
    const webhookId = (created.body.webhook as { id: string }).id;
    const id = await postRecording(app, ccid, Date.now() - DAY_MS);
    await expectEventually(() => expect(receiver.received.filter((m) => m.body.includes(id))).toHaveLength(1), 20_000);
    const log = () => client(app!).get(`/api/v2/ops/contact-centers/${ccid}/webhooks/${webhookId}/deliveries`);
    await expectEventually(async () => expect((await log()).body.deliveries).toEqual([]), 20_000);
  }, 60_000);
});

describe.each(METADATA_BACKENDS)('webhook secrets on %s', (metadata) => {
  const receiver = new WebhookReceiver();
  const env = ENV;
  let app: TestApp | undefined;

  beforeAll(() => receiver.start());
  afterAll(async () => {
    await app?.close();
    await receiver.stop();
  });

  it('stores a new secret sealed, seals an old plain row at the next start, and both sign what their receivers verify', async () => {
    const config = testConfig({ metadata, env });
    await app?.close(); // left open by a failure above
    app = await startTestApp(config);
    const ccid = await createContactCenter(app);
    const created = await client(app).post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: receiver.url, events: ['voiceRecording.stored'] });
    const fresh = created.body.webhook as { id: string; secret: string };
    const stored = await app.app.get(WebhookStore).getSubscription(ccid, fresh.id);
    expect(stored!.secret).toMatch(/^sealed:/);
    expect(stored!.secret).not.toContain(fresh.secret.slice(6, 30));

    // A row as the previous version wrote it: the secret as given.
    const old = { id: randomUUID(), ccid, url: receiver.url, events: ['voiceRecording.stored' as const], secret: newWebhookSecret(), createdAt: new Date().toISOString() };
    await app.app.get(WebhookStore).putSubscription(old);
    await app.close();
    app = await startTestApp(config);
    const resealed = await app.app.get(WebhookStore).getSubscription(ccid, old.id);
    expect(resealed!.secret).toMatch(/^sealed:/);
    expect(resealed!.secret).not.toContain(old.secret.slice(6, 30));

    const id = await postRecording(app, ccid, Date.now() - DAY_MS);
    await expectEventually(() => expect(receiver.received.filter((m) => m.body.includes(id))).toHaveLength(2), 20_000);
    const messages = receiver.received.filter((m) => m.body.includes(id));
    // Each subscription's message verifies with its own secret: one with the fresh, one with the old.
    const verifies = (secret: string) => messages.filter((m) => {
      try {
        new Webhook(secret).verify(m.body, m.headers);
        return true;
      } catch {
        return false;
      }
    }).length;
    expect([verifies(fresh.secret), verifies(old.secret)]).toEqual([1, 1]);

  }, 90_000);
});
