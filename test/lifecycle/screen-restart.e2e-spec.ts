import request from 'supertest';
import { ScreenRulesBed } from '../screen-recordings/screen-rules-fixture';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { eventsOf, FAST_LIFECYCLE_ENV, subscribe, verifiedEvents } from './screen-events-fixture';
import { WebhookReceiver } from './webhook-receiver';

/**
 * Issue 17: a screen recording left `recording` when its node stopped mid-call does not stay so forever —
 * after the restart the detector (resuming from the store) stops it and, without media, ends it missing,
 * with one event each.
 */
describe('screen recordings left recording by a restart end stopped, then missing', () => {
  const receiver = new WebhookReceiver();
  const config = testConfig({ env: FAST_LIFECYCLE_ENV });
  let before: ScreenRulesBed | undefined;
  let after: ScreenRulesBed | undefined;

  beforeAll(() => receiver.start());
  afterAll(async () => {
    await receiver.stop();
    await before?.stop();
    await after?.stop();
  });

  it('stops and then misses the recording of a call the node was following when it went away', async () => {
    before = await new ScreenRulesBed().start(config);
    const { secret } = await subscribe(before.app, before.ccid, receiver);
    const dn = await before.recordedDn();
    const agent = await before.agent('restart-rec', { agentId: 'a-restart-rec' });
    await before.startSession(agent, dn);
    const { recorder } = await before.recorder(agent);
    const call = await before.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const id = recorder.recording!.recordingId;
    await expectEventually(() => expect(eventsOf(verifiedEvents(receiver, secret), id).map((e) => e.type)).toEqual(['screenRecording.started']));

    // The node goes away mid-call (its simulator, and so the call, with it) and comes back on the same data.
    const ccid = before.ccid;
    await before.stop();
    before = undefined;
    after = await new ScreenRulesBed().start(config, ccid);

    await expectEventually(() => expect(eventsOf(verifiedEvents(receiver, secret), id).map((e) => e.type)).toEqual(['screenRecording.started', 'screenRecording.stopped', 'screenRecording.missing']), 20_000);
    const missing = eventsOf(verifiedEvents(receiver, secret), id)[2];
    expect(missing.data).toMatchObject({ screenRecordingId: id, callUuid: call.callUuid, reason: 'recorder-never-uploaded' });
    const recording = await after.screenRecording(id);
    expect(recording).toMatchObject({ state: 'missing', missingReason: 'recorder-never-uploaded', playable: false, stopTime: expect.any(String) });
    const listed = await request(after.app.url).get(`/api/v2/ops/contact-centers/${ccid}/screen-recordings/missing`).set('Authorization', after.app.opsAuth).expect(200);
    expect((listed.body.recordings as { id: string }[]).map((r) => r.id)).toEqual([id]);
  });
});
