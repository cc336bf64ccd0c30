import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { ScreenRulesBed } from './screen-rules-fixture';

/**
 * Issue 14 case 1: a screen recording never outlives the agent session that let RWS follow its voice. Ending
 * the session, or moving it to another DN, during a recorded call stops the screen recording; the agent's
 * next recorded call drives the screen again; a reconnecting recorder is not told to record a call RWS no
 * longer follows.
 */
describe('screen recording at session end and DN change (simulator, recorder over WebSocket)', () => {
  const bed = new ScreenRulesBed();

  beforeAll(async () => {
    await bed.start(testConfig());
  }, 60_000);
  afterAll(() => bed.stop());

  it('EndContactCenterSession during a recorded call stops the screen; a reconnect is told nothing; the next call after a new session records', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('end');
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const first = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: first.callUuid, state: 'recording' }));
    const firstId = recorder.recording!.recordingId;

    await bed.endSession(agent);
    await expectEventually(() => expect(recorder.recording).toBeNull());
    await expectEventually(async () => expect(await bed.screenRecording(firstId)).toMatchObject({ state: 'stopped', stopTime: expect.any(String) }));

    // The recorder reconnects while the call goes on (RWS no longer follows it): nothing to record.
    await recorder.disconnect();
    expect((await recorder.connect()).desired).toBeNull();
    await bed.release(first);

    // The agent logs in again on the same DN: its next recorded call starts a new screen recording.
    await bed.startSession(agent, dn);
    const second = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: second.callUuid, state: 'recording' }));
    expect(recorder.recording!.recordingId).not.toBe(firstId);
    await bed.release(second);
    await expectEventually(() => expect(recorder.recording).toBeNull());
  });

  it('a new session on another DN during a recorded call stops the screen; the call on the new DN records', async () => {
    const oldDn = await bed.recordedDn();
    const newDn = await bed.recordedDn();
    const agent = await bed.agent('move');
    await bed.startSession(agent, oldDn);
    const { recorder } = await bed.recorder(agent);
    const onOld = await bed.answeredCall(oldDn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: onOld.callUuid, state: 'recording' }));
    const oldId = recorder.recording!.recordingId;

    await bed.startSession(agent, newDn);
    await expectEventually(() => expect(recorder.recording).toBeNull());
    await expectEventually(async () => expect(await bed.screenRecording(oldId)).toMatchObject({ state: 'stopped' }));

    const onNew = await bed.answeredCall(newDn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: onNew.callUuid, state: 'recording' }));
    // The old DN's call ends unseen; the new one is followed to its end.
    await bed.release(onOld);
    await bed.release(onNew);
    await expectEventually(() => expect(recorder.recording).toBeNull());
  });
});
