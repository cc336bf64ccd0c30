import request from 'supertest';
import type { AppConfig } from '../../src/config/app-config';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { agentAttributes, ScreenRulesBed } from './screen-rules-fixture';

/**
 * Issue 14 case 2: `recordingWhen` comes from the user store whenever it matters — at every signal and in the
 * welcome snapshot — and an operator's change applies at once, through the real ops user API and the real
 * settings wiring (no settings port swapped in).
 */
describe('recordingWhen from the user store (ops API, simulator, recorder over WebSocket)', () => {
  const bed = new ScreenRulesBed();
  let config: AppConfig;

  beforeAll(async () => {
    config = testConfig();
    await bed.start(config);
  }, 60_000);
  afterAll(() => bed.stop());

  it('an operator switching the agent to off mid-call stops the screen recording at once; back to voice, the next call records', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('when-switch');
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const first = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: first.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;

    await bed.updateUser(agent, agentAttributes('when-switch', { recordingWhen: 'off' }));
    await expectEventually(() => expect(recorder.recording).toBeNull());
    await expectEventually(async () => expect(await bed.screenRecording(recordingId)).toMatchObject({ state: 'stopped' }));
    await bed.release(first);

    await bed.updateUser(agent, agentAttributes('when-switch', { recordingWhen: 'voice' }));
    const second = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: second.callUuid, state: 'recording' }));
    await bed.release(second);
    await expectEventually(() => expect(recorder.recording).toBeNull());
  });

  it('an off agent whose recorder connects mid-call is told nothing, and no screen recording exists for the call', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('when-off', { recordingWhen: 'off' });
    await bed.startSession(agent, dn);
    const call = await bed.answeredCall(dn);
    const { welcome, recorder } = await bed.recorder(agent);
    expect(welcome.desired).toBeNull();
    expect(recorder.recording).toBeNull();
    expect(await bed.screenRecordingsOfCall(call.callUuid)).toEqual([]);
    await bed.release(call);
  });

  it('after a restart, an off agent is known before its recorder connects', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('when-restart');
    // Switched off, then RWS restarts (same data directory): nothing of the agent is in memory any more.
    await bed.updateUser(agent, agentAttributes('when-restart', { recordingWhen: 'off' }));
    await bed.stop();
    await bed.start(config, bed.ccid);
    await bed.command('dn', { number: dn, record: true });

    await bed.startSession(agent, dn);
    const call = await bed.answeredCall(dn);
    // The voice is recorded (the desktop says so) while no screen recording is started for the off agent.
    await expectEventually(async () => {
      const calls = await request(bed.app.url).get('/api/v2/me/calls').set('Authorization', agent.basic).expect(200);
      expect(calls.body.data.calls).toEqual([expect.objectContaining({ id: call.callUuid, recordingState: 'Recording' })]);
    });
    expect(await bed.screenRecordingsOfCall(call.callUuid)).toEqual([]);
    const { welcome } = await bed.recorder(agent);
    expect(welcome.desired).toBeNull();
    await bed.release(call);
  });
});
