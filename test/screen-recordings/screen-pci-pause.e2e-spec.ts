import request from 'supertest';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { ScreenRulesBed } from './screen-rules-fixture';

/**
 * Issue 14 case 3, PCI "when in doubt, pause": RWS's own PauseCallRecording pauses the screen as soon as SIP
 * Server acknowledges it, even when the GSIP_RECORD=PAUSED announcement is lost; a pause whose answer never
 * comes (504) pauses the screen too, until the server's own report settles it. A resume waits for the server.
 */
describe('PCI pause fail safe (simulator faults, recorder over WebSocket)', () => {
  const bed = new ScreenRulesBed();

  beforeAll(async () => {
    await bed.start(testConfig({ env: { SIPSERVER_REQUEST_TIMEOUT_MS: '300' } }));
  }, 60_000);
  afterAll(() => bed.stop());

  const operate = (agent: { basic: string }, callUuid: string, operationName: string) =>
    request(bed.app.url).post(`/api/v2/me/calls/${callUuid}`).set('Authorization', agent.basic).send({ operationName });

  it('an acknowledged pause whose announcement is lost pauses the screen at once; the resume follows the server', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('pci-ack');
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;

    // SIP Server answers EventACK and pauses, but its GSIP_RECORD=PAUSED announcement never reaches RWS.
    await bed.command('faults', { drop: 1 });
    await operate(agent, call.callUuid, 'PauseCallRecording').expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'paused' }));
    const calls = await request(bed.app.url).get('/api/v2/me/calls').set('Authorization', agent.basic).expect(200);
    expect(calls.body.data.calls).toEqual([expect.objectContaining({ id: call.callUuid, recordingState: 'Paused' })]);

    await operate(agent, call.callUuid, 'ResumeCallRecording').expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'recording' }));
    await bed.release(call);
    await expectEventually(() => expect(recorder.recording).toBeNull());
  });

  it('a pause that times out (504) pauses the screen; the server reporting the call still ON resumes it', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('pci-timeout');
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;
    const states: string[] = [];
    recorder.on('state', (s: { state: string } | null) => states.push(s?.state ?? 'idle'));

    // The request is lost: no EventACK, no EventError. RWS cannot know whether the server paused.
    await bed.command('faults', { swallowRequests: 1 });
    await operate(agent, call.callUuid, 'PauseCallRecording').expect(504);
    // The screen was paused on the doubt, then resumed once the server's report said the voice still records.
    await expectEventually(() => expect(states).toContain('paused'));
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'recording' }));
    await bed.release(call);
    await expectEventually(() => expect(recorder.recording).toBeNull());
  });

  it('a resume that times out leaves the screen paused until the server says ON', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('pci-resume');
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    await operate(agent, call.callUuid, 'PauseCallRecording').expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ state: 'paused' }));

    await bed.command('faults', { swallowRequests: 1 });
    await operate(agent, call.callUuid, 'ResumeCallRecording').expect(504);
    // Nothing from the server: still paused (checked after RWS has answered, with the request long timed out).
    expect(recorder.recording).toMatchObject({ state: 'paused' });
    await operate(agent, call.callUuid, 'ResumeCallRecording').expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ state: 'recording' }));
    await bed.release(call);
  });
});
