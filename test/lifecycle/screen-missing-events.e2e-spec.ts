import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ScreenMissingDetector } from '../../src/screen-recordings/screen-missing-detector';
import { ScreenRulesBed } from '../screen-recordings/screen-rules-fixture';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { expectEventually } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { eventsOf, FAST_LIFECYCLE_ENV, ReceivedEvent, subscribe, verifiedEvents } from './screen-events-fixture';
import { WebhookReceiver } from './webhook-receiver';

/**
 * Issue 17, the missing-recording detector: a recorded call of a screen-recorded agent whose screen
 * recording is not stored in time raises one `missing` event with the reason, and the ops API lists it.
 */
describe('missing screen recordings raise one event and are listed (simulator, recorder over WebSocket)', () => {
  const bed = new ScreenRulesBed();
  const receiver = new WebhookReceiver();
  let secret: string;
  const missingIds: string[] = [];

  beforeAll(async () => {
    await bed.start(testConfig({ env: FAST_LIFECYCLE_ENV }));
    await receiver.start();
    secret = (await subscribe(bed.app, bed.ccid, receiver)).secret;
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await bed.stop();
  });

  const received = (id: string): ReceivedEvent[] => eventsOf(verifiedEvents(receiver, secret), id);

  /** After more detector passes, still exactly one `missing` event (and one message) for the recording. */
  async function expectOneMissing(id: string, reason: string): Promise<void> {
    const detector = bed.app.app.get(ScreenMissingDetector);
    await detector.runOnce();
    await detector.runOnce();
    const missing = received(id).filter((e) => e.type === 'screenRecording.missing');
    expect(missing).toEqual([expect.objectContaining({ data: expect.objectContaining({ screenRecordingId: id, reason }) })]);
  }

  it('a recorder that never uploads yields exactly one missing event: recorder-never-uploaded', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('miss-noupload', { agentId: 'a-miss-noupload' });
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const id = recorder.recording!.recordingId;
    await bed.release(call);

    await expectEventually(() => expect(received(id).map((e) => e.type)).toEqual(['screenRecording.started', 'screenRecording.stopped', 'screenRecording.missing']));
    await expectOneMissing(id, 'recorder-never-uploaded');
    missingIds.push(id);
  });

  it('an agent whose recorder never connected yields exactly one missing event: no-recorder-connected', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('miss-norec', { agentId: 'a-miss-norec' });
    await bed.startSession(agent, dn);
    const call = await bed.answeredCall(dn);
    await bed.release(call);

    await expectEventually(async () => expect(await bed.screenRecordingsOfCall(call.callUuid)).toEqual([expect.objectContaining({ state: 'missing' })]));
    const id = (await bed.screenRecordingsOfCall(call.callUuid))[0].id as string;
    await expectEventually(() => expect(received(id).map((e) => e.type)).toEqual(['screenRecording.started', 'screenRecording.stopped', 'screenRecording.missing']));
    await expectOneMissing(id, 'no-recorder-connected');
    missingIds.push(id);
  });

  it('an upload that fails raises failed, then one missing event: upload-failed', async () => {
    const dn = await bed.recordedDn();
    const agent = await bed.agent('miss-failed', { agentId: 'a-miss-failed' });
    await bed.startSession(agent, dn);
    const { recorder } = await bed.recorder(agent);
    const call = await bed.answeredCall(dn);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ state: 'recording' }));
    const id = recorder.recording!.recordingId;
    // During the call, the recorder announces one digest and sends other bytes: refused, and said so.
    const bytes = randomBytes(4096);
    const tus = { 'Tus-Resumable': '1.0.0' };
    const meta = `recordingId ${Buffer.from(id).toString('base64')},sha256 ${Buffer.from('0'.repeat(64)).toString('base64')},contentType ${Buffer.from('video/mp4').toString('base64')}`;
    const created = await request(bed.app.url).post('/api/v2/screen-recordings/uploads').set(tus).set('Authorization', agent.basic).set('Upload-Length', '4096').set('Upload-Metadata', meta).expect(201);
    const patch = await request(bed.app.url)
      .patch(new URL(created.headers.location).pathname)
      .set(tus)
      .set('Authorization', agent.basic)
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(bytes);
    expect(patch.status).toBeGreaterThanOrEqual(400);
    await bed.release(call);

    await expectEventually(() => expect(received(id).map((e) => e.type)).toEqual(['screenRecording.started', 'screenRecording.failed', 'screenRecording.stopped', 'screenRecording.missing']));
    expect(received(id)[1].data).toMatchObject({ reason: 'checksum mismatch' });
    await expectOneMissing(id, 'upload-failed');
    missingIds.push(id);
  });

  it('lists the missing recordings with their reasons to the ops account, and to nobody else', async () => {
    const path = `/api/v2/ops/contact-centers/${bed.ccid}/screen-recordings/missing`;
    const listed = await request(bed.app.url).get(path).set('Authorization', bed.app.opsAuth).expect(200);
    const recordings = listed.body.recordings as { id: string; state: string; missingReason: string; playable: boolean }[];
    expect(recordings.map((r) => r.id).sort()).toEqual([...missingIds].sort());
    expect(recordings.every((r) => r.state === 'missing' && r.playable === false)).toBe(true);
    expect(new Set(recordings.map((r) => r.missingReason))).toEqual(new Set(['recorder-never-uploaded', 'no-recorder-connected', 'upload-failed']));

    // Another contact center's list holds none of them.
    const other = await createContactCenter(bed.app);
    const otherList = await request(bed.app.url).get(`/api/v2/ops/contact-centers/${other}/screen-recordings/missing`).set('Authorization', bed.app.opsAuth).expect(200);
    expect(otherList.body.recordings).toEqual([]);

    // An agent, a supervisor and an admin of the contact center, and an admin of another one: 403, on the list and on subscribing.
    const people: TestUser[] = [
      await bed.agent('miss-peek'),
      await createUser(bed.app, bed.ccid, 'miss-sup', { roles: ['supervisor'], accessGroups: ['/EMEA'] }),
      await createUser(bed.app, bed.ccid, 'miss-admin', { roles: ['admin', 'supervisor'] }),
      await createUser(bed.app, other, 'miss-other', { roles: ['admin', 'supervisor'] }),
    ];
    for (const who of people) {
      expect((await request(bed.app.url).get(path).set('Authorization', who.basic)).status).toBe(403);
      const subscribing = await request(bed.app.url).post(`/api/v2/ops/contact-centers/${bed.ccid}/webhooks`).set('Authorization', who.basic).send({ url: receiver.url, events: ['screenRecording.missing'] });
      expect(subscribing.status).toBe(403);
    }
    // Bad paging is a 400 in the envelope.
    const bad = await request(bed.app.url).get(`${path}?limit=0`).set('Authorization', bed.app.opsAuth);
    expect(bad.status).toBe(400);
  });
});
