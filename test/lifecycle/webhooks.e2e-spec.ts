import { Webhook } from 'standardwebhooks';
import { createUser } from '../support/identity-fixtures';
import { client, createContactCenter } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { DAY_MS, postRecording } from './lifecycle-fixtures';
import { WebhookReceiver } from './webhook-receiver';

const ALL_EVENTS = ['recording.deleted', 'recording.purged', 'legalHold.applied', 'legalHold.removed', 'voiceRecording.stored', 'screenRecording.stored'];

/** Lifecycle events reach a subscriber on loopback, signed per Standard Webhooks, in order, at least once. */
describe('webhooks', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    app = await startTestApp(
      testConfig({
        env: {
          RWS_WEBHOOK_ALLOW_PRIVATE: 'true',
          RWS_WEBHOOK_POLL_MS: '100',
          RWS_WEBHOOK_RETRY_BASE_MS: '50',
          RWS_WEBHOOK_RETRY_MAX_MS: '300',
          // Never dead while the receiver is down in these tests (dead letters have their own app below).
          RWS_WEBHOOK_MAX_ATTEMPTS: '100',
          RWS_RETENTION_INTERVAL_SECONDS: '0',
          RWS_RETENTION_DELETES_PER_SECOND: '1000',
        },
      }),
    );
    http = client(app);
    await receiver.start();
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await app?.close();
  });

  /** Every message the receiver got verifies with the subscription's secret (standardwebhooks as the independent check). */
  function expectAllSigned(secret: string): void {
    const verifier = new Webhook(secret);
    for (const message of receiver.received) expect(() => verifier.verify(message.body, message.headers)).not.toThrow();
  }

  it('delivers a flow’s events in order, signed, including those queued while the receiver was down', async () => {
    const ccid = await createContactCenter(app);
    const created = await http.post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: receiver.url, events: ALL_EVENTS });
    expect(created.status).toBe(200);
    const webhook = created.body.webhook as { id: string; secret: string };
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = (await http.get(`/api/v2/ops/contact-centers/${ccid}/webhooks`)).body.webhooks as Record<string, unknown>[];
    expect(listed).toEqual([expect.objectContaining({ id: webhook.id, url: receiver.url })]);
    expect(JSON.stringify(listed)).not.toContain(webhook.secret);

    const first = await postRecording(app, ccid, Date.now() - DAY_MS);
    const recording = `/api/v2/ops/contact-centers/${ccid}/recordings/${first}`;
    await http.post(recording, { operationName: 'applyNonDelete' });
    await http.post(recording, { operationName: 'removeNonDelete' });
    expect((await http.delete(recording)).status).toBe(200);
    const flow = ['voiceRecording.stored', 'legalHold.applied', 'legalHold.removed', 'recording.deleted'];
    await expectEventually(() => expect(receiver.types()).toEqual(flow), 30_000);

    // The receiver goes away; a purge happens meanwhile.
    await receiver.stop();
    const second = await postRecording(app, ccid, Date.now() - 40 * DAY_MS);
    const policy = await http.post(`/api/v2/ops/contact-centers/${ccid}/retention-policies`, { name: 'thirty days', action: { type: 'delete', afterDays: 30 } });
    const policyId = (policy.body.policy as { id: string }).id;
    await http.post(`/api/v2/ops/contact-centers/${ccid}/retention-policies/${policyId}/runs`, {});
    await expectEventually(async () => {
      const pending = (await http.get(`/api/v2/ops/contact-centers/${ccid}/webhooks/${webhook.id}/deliveries?state=pending`)).body.deliveries as { attempts: number; lastError?: string }[];
      expect(pending).toHaveLength(3);
      expect(pending.some((d) => d.attempts >= 1 && d.lastError)).toBe(true);
    }, 30_000);
    await receiver.start();

    await expectEventually(() => expect(receiver.types()).toEqual([...flow, 'voiceRecording.stored', 'recording.deleted', 'recording.purged']), 30_000);
    expectAllSigned(webhook.secret);
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { data: { recordingId?: string; ccid: string; policyId?: string } });
    expect(bodies.slice(0, 4).every((b) => b.data.recordingId === first && b.data.ccid === ccid)).toBe(true);
    expect(bodies[6].data).toMatchObject({ recordingId: second, policyId });
    // At least once, and here exactly once: each webhook-id arrived one time.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(7);

    const log = (await http.get(`/api/v2/ops/contact-centers/${ccid}/webhooks/${webhook.id}/deliveries`)).body.deliveries as { state: string }[];
    expect(log).toHaveLength(7);
    expect(log.every((d) => d.state === 'delivered')).toBe(true);
  });

  it('sends only the subscribed event types; a message a tampered body or other secret cannot pass', async () => {
    const ccid = await createContactCenter(app);
    const before = receiver.received.length;
    const created = await http.post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: receiver.url, events: ['recording.deleted'] });
    const secret = (created.body.webhook as { secret: string }).secret;
    const id = await postRecording(app, ccid, Date.now() - DAY_MS);
    await http.delete(`/api/v2/ops/contact-centers/${ccid}/recordings/${id}`);
    await expectEventually(() => expect(receiver.received.length).toBe(before + 1), 30_000);
    const message = receiver.received[before];
    expect(JSON.parse(message.body)).toMatchObject({ type: 'recording.deleted', data: { recordingId: id } });
    expect(() => new Webhook(secret).verify(message.body, message.headers)).not.toThrow();
    expect(() => new Webhook(secret).verify(message.body.replace(id, 'X'), message.headers)).toThrow();
    const other = (await http.post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: receiver.url, events: ['recording.purged'] })).body.webhook as { secret: string };
    expect(() => new Webhook(other.secret).verify(message.body, message.headers)).toThrow();
  });

  it('refuses bad subscriptions with a 400 and is for the ops account only', async () => {
    const ccid = await createContactCenter(app);
    const base = `/api/v2/ops/contact-centers/${ccid}/webhooks`;
    for (const body of [{ url: 'ftp://127.0.0.1/x', events: ['recording.deleted'] }, { url: 'not a url', events: ['recording.deleted'] }, { url: receiver.url, events: [] }, { url: receiver.url, events: ['recording.exploded'] }, { url: 'http://u:p@127.0.0.1/', events: ['recording.deleted'] }]) {
      const response = await http.post(base, body);
      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(2);
    }
    expect((await http.get(base)).body.webhooks).toEqual([]);
    const service = await createUser(app, ccid, 'processor', { kind: 'service' });
    const admin = await createUser(app, ccid, 'admin', { roles: ['admin', 'supervisor'] });
    for (const who of [service, admin]) {
      const post = await fetch(`${app.url}${base}`, { method: 'POST', headers: { authorization: who.basic, 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, events: ['recording.deleted'] }) });
      expect(post.status).toBe(403);
      expect((await fetch(`${app.url}${base}`, { headers: { authorization: who.basic } })).status).toBe(403);
    }
    expect((await http.get(base)).body.webhooks).toEqual([]);
  });
});

/** A message that keeps failing becomes a dead letter after its last attempt. */
describe('webhook dead letters', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(
      testConfig({ env: { RWS_WEBHOOK_ALLOW_PRIVATE: 'true', RWS_WEBHOOK_POLL_MS: '100', RWS_WEBHOOK_RETRY_BASE_MS: '50', RWS_WEBHOOK_RETRY_MAX_MS: '300', RWS_WEBHOOK_MAX_ATTEMPTS: '3' } }),
    );
  }, 60_000);
  afterAll(() => app?.close());

  it('turns a message into a dead letter after the last attempt, and the next one still goes', async () => {
    const ccid = await createContactCenter(app);
    const http = client(app);
    const failing = new WebhookReceiver();
    failing.failWith = 500;
    await failing.start();
    try {
      const created = await http.post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: failing.url, events: ['recording.deleted', 'voiceRecording.stored'] });
      const webhookId = (created.body.webhook as { id: string }).id;
      await postRecording(app, ccid, Date.now() - DAY_MS);
      await expectEventually(async () => {
        const dead = (await http.get(`/api/v2/ops/contact-centers/${ccid}/webhooks/${webhookId}/deliveries?state=dead`)).body.deliveries as { attempts: number; lastStatus: number; type: string }[];
        expect(dead).toEqual([expect.objectContaining({ type: 'voiceRecording.stored', attempts: 3, lastStatus: 500 })]);
      }, 30_000);
      failing.failWith = undefined;
      const id = await postRecording(app, ccid, Date.now() - DAY_MS);
      await expectEventually(() => expect(failing.types()).toEqual(['voiceRecording.stored']), 30_000);
      expect(JSON.parse(failing.received[0].body)).toMatchObject({ data: { recordingId: id } });
    } finally {
      await failing.stop();
    }
  });

});

/** Without RWS_WEBHOOK_ALLOW_PRIVATE, loopback and private targets are refused (SSRF). */
describe('webhook targets by default', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(testConfig());
  }, 60_000);
  afterAll(() => app?.close());

  it('refuses loopback, private, link-local and unresolvable targets', async () => {
    const http = client(app);
    const ccid = await createContactCenter(app);
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'https://10.1.2.3/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/', 'http://no-such-host.invalid/']) {
      const response = await http.post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url, events: ['recording.deleted'] });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
    }
    expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/webhooks`)).body.webhooks).toEqual([]);
  });
});
