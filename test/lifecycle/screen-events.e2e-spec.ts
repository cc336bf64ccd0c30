import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ScreenRulesBed } from '../screen-recordings/screen-rules-fixture';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { eventsOf, FAST_LIFECYCLE_ENV, postVoiceRecording, subscribe, uploadScreen, verifiedEvents } from './screen-events-fixture';
import { WebhookReceiver } from './webhook-receiver';

/**
 * Issue 17: a webhook receiver on loopback sees every event of a recorded call, signed, in order — the
 * simulator records the call, the agent's recorder follows it over the WebSocket and uploads over tus, the
 * Recording Processor posts the voice recording — including the events that happened while it was down.
 */
describe('screen recording lifecycle events to webhooks (simulator, recorder, tus)', () => {
  const bed = new ScreenRulesBed();
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    // Missing only long after this test: the upload comes once the receiver is back.
    await bed.start(testConfig({ env: { ...FAST_LIFECYCLE_ENV, RWS_SCREEN_MISSING_AFTER_SECONDS: '600' } }));
    await receiver.start();
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await bed.stop();
  });

  it('delivers started, paused, resumed, stopped, voice stored and screen stored in order, the middle ones after the receiver came back', async () => {
    const webhook = await subscribe(bed.app, bed.ccid, receiver);
    const dn = await bed.recordedDn();
    const agent = await bed.agent('events-flow', { agentId: 'a-events-flow' });
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);

    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;
    await expectEventually(() => expect(eventsOf(verifiedEvents(receiver, webhook.secret), recordingId).map((e) => e.type)).toEqual(['screenRecording.started']));

    // The receiver goes down; the call is paused, resumed and ends, and the Recording Processor stores its voice.
    await receiver.stop();
    const callPath = `/api/v2/me/calls/${call.callUuid}`;
    await request(bed.app.url).post(callPath).set('Authorization', agent.basic).send({ operationName: 'PauseCallRecording' }).expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'paused' }));
    await request(bed.app.url).post(callPath).set('Authorization', agent.basic).send({ operationName: 'ResumeCallRecording' }).expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'recording' }));
    await bed.release(call);
    await expectEventually(() => expect(recorder.recording).toBeNull());
    await expectEventually(async () => expect(await bed.screenRecording(recordingId)).toMatchObject({ state: 'stopped' }));
    await postVoiceRecording(bed.app, bed.ccid, bed.processor, call.callUuid, 'a-events-flow');
    // Queued and tried meanwhile: the delivery log shows them pending, with failed attempts.
    await expectEventually(async () => {
      const log = await request(bed.app.url).get(`/api/v2/ops/contact-centers/${bed.ccid}/webhooks/${webhook.id}/deliveries?state=pending`).set('Authorization', bed.app.opsAuth).expect(200);
      const pending = log.body.deliveries as { type: string; attempts: number }[];
      expect(pending.map((d) => d.type).sort()).toEqual(['screenRecording.paused', 'screenRecording.resumed', 'screenRecording.stopped', 'voiceRecording.stored']);
      expect(pending.some((d) => d.attempts >= 1)).toBe(true);
    }, 20_000);

    await receiver.start();
    await uploadScreen(bed.app, agent, recordingId, randomBytes(64 * 1024));

    const expected = ['screenRecording.started', 'screenRecording.paused', 'screenRecording.resumed', 'screenRecording.stopped', 'voiceRecording.stored', 'screenRecording.stored'];
    await expectEventually(() => expect(eventsOf(verifiedEvents(receiver, webhook.secret), recordingId, call.callUuid).map((e) => e.type)).toEqual(expected), 20_000);
    const events = eventsOf(verifiedEvents(receiver, webhook.secret), recordingId, call.callUuid);
    // Each event once (one webhook-id each), about this call and agent, without a phone number.
    expect(new Set(events.map((e) => e.id)).size).toBe(expected.length);
    for (const e of events.filter((x) => x.type.startsWith('screen'))) {
      expect(e.data).toMatchObject({ ccid: bed.ccid, screenRecordingId: recordingId, callUuid: call.callUuid, userName: agent.userName, agentId: 'a-events-flow' });
    }
    expect(events.at(-1)!.data.mediaId).toEqual(expect.any(String));
    expect(JSON.stringify(events)).not.toContain('6175550199');
    // Nothing waits in the recording's outbox any more, and nothing is left to deliver.
    const log = await request(bed.app.url).get(`/api/v2/ops/contact-centers/${bed.ccid}/webhooks/${webhook.id}/deliveries`).set('Authorization', bed.app.opsAuth).expect(200);
    expect((log.body.deliveries as { state: string }[]).every((d) => d.state === 'delivered')).toBe(true);
  });
});
