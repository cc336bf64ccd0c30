import request from 'supertest';
import { WebhookStore } from '../../src/lifecycle/webhooks/webhook.store';
import { ScreenRecordingsService } from '../../src/screen-recordings/screen-recordings.service';
import { createIdentityFixture } from '../support/identity-fixtures';
import { startScreenRecording } from '../support/screen-upload-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { DAY_MS, postRecording } from './lifecycle-fixtures';
import { eventsOf, FAST_LIFECYCLE_ENV, subscribe, verifiedEvents } from './screen-events-fixture';
import { WebhookReceiver } from './webhook-receiver';

/**
 * Issue 17: an event is not lost when its action succeeded and the webhook queue write then failed (the
 * metadata store refusing queue writes for a while): screen events wait in the recording's outbox and are
 * relayed by the detector; other events are retried by the node. Faults are injected into the real store.
 */
describe('lifecycle events survive failed queue writes', () => {
  let app: TestApp;
  const receiver = new WebhookReceiver();
  let failures = 0;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { ...FAST_LIFECYCLE_ENV, RWS_SCREEN_MISSING_AFTER_SECONDS: '600' } }));
    await receiver.start();
    const store = app.app.get(WebhookStore);
    const enqueue = store.enqueue.bind(store);
    store.enqueue = (delivery) => (failures-- > 0 ? Promise.reject(new Error('injected: metadata store unavailable')) : enqueue(delivery));
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await app?.close();
  });

  it('delivers a screen recording’s started and stopped, and a voice recording’s stored, once each, after the writes failed', async () => {
    const people = await createIdentityFixture(app);
    await request(app.url).post(`/api/v2/ops/contact-centers/${people.ccid}/features`).set('Authorization', app.opsAuth).send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }).expect(200);
    const { secret } = await subscribe(app, people.ccid, receiver);
    failures = 3;
    const id = await startScreenRecording(app, people);
    const stoppedAt = new Date().toISOString();
    await app.app.get(ScreenRecordingsService).stateChanged(people.ccid, id, 'stopped', stoppedAt);
    const voice = await postRecording(app, people.ccid, Date.now() - DAY_MS);

    await expectEventually(() => expect(eventsOf(verifiedEvents(receiver, secret), id).map((e) => e.type)).toEqual(['screenRecording.started', 'screenRecording.stopped']), 20_000);
    await expectEventually(() => expect(verifiedEvents(receiver, secret).filter((e) => e.data.recordingId === voice).map((e) => e.type)).toEqual(['voiceRecording.stored']), 20_000);
    expect(failures).toBeLessThan(0); // the injected failures did happen
    // Once each, and nothing waits in the recording's outbox any more.
    expect(new Set(verifiedEvents(receiver, secret).map((e) => e.id)).size).toBe(verifiedEvents(receiver, secret).length);
    const internal = await app.app.get(ScreenRecordingsService).listForCalls(people.ccid, [(eventsOf(verifiedEvents(receiver, secret), id)[0].data.callUuid as string)]);
    expect(internal[0].outbox ?? []).toEqual([]);
  });
});
