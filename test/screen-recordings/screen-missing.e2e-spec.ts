import request from 'supertest';
import { createUser, TestUser } from '../support/identity-fixtures';
import { postVoiceRecording } from '../lifecycle/screen-events-fixture';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { ScreenRulesBed } from './screen-rules-fixture';

/**
 * Issue 14 case 5: a screen recording that never received media ends `missing`, with the reason, and is never
 * shown as playable — neither on its own nor in the voice recording's `screenRecordings`.
 */
describe('screen recordings without media end missing (simulator, recorder over WebSocket)', () => {
  const bed = new ScreenRulesBed();
  let supervisor: TestUser;

  beforeAll(async () => {
    await bed.start(testConfig({ env: { RWS_SCREEN_UPLOAD_GRACE_SECONDS: '0.5' } }));
    supervisor = await createUser(bed.app, bed.ccid, 'missing-sup', { roles: ['supervisor'], accessGroups: ['/EMEA'] });
  }, 60_000);
  afterAll(() => bed.stop());

  /** The Recording Processor stores the call's voice recording; the supervisor reads it with its screen links. */
  async function voiceRecordingOf(callUuid: string, agentId: string): Promise<Record<string, unknown>> {
    await postVoiceRecording(bed.app, bed.ccid, bed.processor, callUuid, agentId);
    const res = await request(bed.app.url).get(`/api/v2/recordings/${callUuid}`).set('Authorization', supervisor.basic).expect(200);
    return res.body.recording as Record<string, unknown>;
  }

  it('a recorded call of an agent without a connected recorder leaves a missing screen recording (no recorder), never playable', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('missing-norec', { agentId: 'a-missing-norec' });
    await bed.startSession(agent, dn);
    const call = await bed.answeredCall(dn);
    await bed.release(call);

    await expectEventually(async () =>
      expect(await bed.screenRecordingsOfCall(call.callUuid)).toEqual([
        expect.objectContaining({ state: 'missing', missingReason: 'no-recorder-connected', playable: false, mediaFiles: [] }),
      ]),
    );
    const voice = await voiceRecordingOf(call.callUuid, 'a-missing-norec');
    expect(voice.screenRecordings).toEqual([expect.objectContaining({ state: 'missing', missingReason: 'no-recorder-connected', playable: false })]);
    expect((voice.screenRecordings as Record<string, unknown>[])[0]).not.toHaveProperty('mediaUri');
  });

  it('a screen recording whose recorder never uploads becomes missing (never uploaded) after the grace period', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('missing-noupload', { agentId: 'a-missing-noupload' });
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;
    await bed.release(call);
    await expectEventually(() => expect(recorder.recording).toBeNull());

    await expectEventually(async () =>
      expect(await bed.screenRecording(recordingId)).toMatchObject({ state: 'missing', missingReason: 'recorder-never-uploaded', playable: false, mediaFiles: [] }),
    );
    const voice = await voiceRecordingOf(call.callUuid, 'a-missing-noupload');
    expect(voice.screenRecordings).toEqual([expect.objectContaining({ id: recordingId, state: 'missing', missingReason: 'recorder-never-uploaded', playable: false })]);
    expect((voice.screenRecordings as Record<string, unknown>[])[0]).not.toHaveProperty('mediaUri');
  });
});
