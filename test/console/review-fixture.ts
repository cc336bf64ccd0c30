import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { ScreenRecordingsService } from '../../src/screen-recordings/screen-recordings.service';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { createIdentityFixture, createUser, type IdentityFixture, type TestUser } from '../support/identity-fixtures';
import { startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { expectEventually, type TestApp } from '../support/test-app';
import { screenVideo, voiceWav } from './test-media';

/** Seconds from the call's start: voice 0–8 and 12–20 (paused 8–12), screen the same two stretches. */
export const CALL = { length: 20, voice: [[0, 8], [12, 20]], screen: [[0, 8], [12, 20]] } as const;

/** People and calls of the console's browser tests. */
export interface ReviewFixture {
  people: IdentityFixture;
  /** Supervisor of /EMEA/Sales with decrypt, applyNonDelete and manageLabels. */
  supervisor: TestUser;
  /** alice's call: two voice files and two screen recordings. */
  aliceCall: string;
  /** bob's call: alice (an agent) must not see it. */
  bobCall: string;
  /** alice's call whose voice files never reached storage: playing it fails with the API's message. */
  lostCall: string;
  callerNumber: string;
  label: string;
  startedAt: Date;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through "npm test"`);
  return value;
}

const at = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000).toISOString();

/**
 * Calls recorded the way production records them: the media server's WAV files in WebDAV and the Recording
 * Processor's document posted to the internal API; alice's screen recordings started by RWS (as when it
 * tells her recorder to start), stopped, and uploaded by her recorder over tus.
 */
export async function createReviewFixture(rws: TestApp): Promise<ReviewFixture> {
  const people = await createIdentityFixture(rws);
  await request(rws.url)
    .post(`/api/v2/ops/contact-centers/${people.ccid}/features`)
    .set('Authorization', rws.opsAuth)
    .send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] })
    .expect(200);
  const supervisor = await createUser(rws, people.ccid, 'reviewer', {
    roles: ['supervisor'],
    accessGroups: ['/EMEA/Sales'],
    permissions: ['decrypt', 'applyNonDelete', 'manageLabels'],
  });
  const label = `escalation-${randomBytes(3).toString('hex')}`;
  await request(rws.url).post('/api/v2/recording-label-definitions').set('Authorization', supervisor.basic).send({ name: label }).expect(200);

  const startedAt = new Date(Date.now() - 10 * 60_000);
  const callerNumber = `+1617${String(Date.now()).slice(-7)}`;
  const aliceCall = `CONSOLE${randomBytes(8).toString('hex').toUpperCase()}`;
  const bobCall = `CONSOLE${randomBytes(8).toString('hex').toUpperCase()}`;
  const lostCall = `CONSOLE${randomBytes(8).toString('hex').toUpperCase()}`;
  const webdav = new WebDavClient({ url: requireEnv('WEBDAV_URL'), username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD });
  try {
    await recordVoice(rws, people, webdav, aliceCall, 'a-alice', callerNumber, startedAt);
    await recordVoice(rws, people, webdav, bobCall, 'a-bob', callerNumber, startedAt);
    await recordVoice(rws, people, undefined, lostCall, 'a-alice', `+1999${String(Date.now()).slice(-7)}`, startedAt);
  } finally {
    webdav.close();
  }
  for (const [from, to] of CALL.screen) await recordScreen(rws, people, aliceCall, at(startedAt, from), at(startedAt, to));
  await expectEventually(async () => {
    const res = await request(rws.url).get(`/api/v2/recordings/${aliceCall}`).set('Authorization', supervisor.basic).expect(200);
    expect(res.body.recording.screenRecordings.filter((s: { playable: boolean }) => s.playable)).toHaveLength(CALL.screen.length);
  }, 20_000);
  return { people, supervisor, aliceCall, bobCall, lostCall, callerNumber, label, startedAt };
}

/** Without `webdav` the document names files that were never written (a media server that lost them). */
async function recordVoice(rws: TestApp, people: IdentityFixture, webdav: WebDavClient | undefined, callUuid: string, agentId: string, caller: string, start: Date): Promise<void> {
  const folder = `voice-${randomUUID()}`;
  const mediaFiles = [];
  for (const [i, [from, to]] of CALL.voice.entries()) {
    const wav = voiceWav(to - from);
    await webdav?.put(`${folder}/part${i + 1}.wav`, Readable.from([wav]), { contentLength: wav.length });
    mediaFiles.push({
      mediaId: `callrec.${callUuid}.${i + 1}.wav`,
      callUUID: callUuid,
      type: 'audio/wav',
      startTime: at(start, from),
      stopTime: at(start, to),
      duration: String(to - from),
      size: String(wav.length),
      parameters: { connId: '00710255fc5bacfe', agentId },
      mediaDescriptor: { storage: 'webDAV', path: `${folder}/part${i + 1}.wav` },
      accessgroups: ['/'],
      partitions: ['/sales'],
    });
  }
  const document = {
    id: callUuid,
    region: 'region1',
    callerPhoneNumber: caller,
    dialedPhoneNumber: '+18489993333',
    callType: 'Inbound',
    startTime: at(start, 0),
    stopTime: at(start, CALL.length),
    eventHistory: [{ occurredAt: at(start, 0), calluuid: callUuid, event: 'Joined', contact: { type: 'External', phoneNumber: caller } }],
    mediaFiles,
  };
  await request(rws.url).post(`/internal-api/contact-centers/${people.ccid}/recordings`).set('Authorization', people.processor.basic).send(document).expect(200);
}

/** One screen recording of alice's for the call, from `from` to `to`, with the WebM uploaded by her recorder. */
async function recordScreen(rws: TestApp, people: IdentityFixture, callUuid: string, from: string, to: string): Promise<void> {
  const recordingId = await startScreenRecording(rws, people, { agentHierarchy: '/EMEA/Sales/alice', callUuid, connId: '00710255fc5bacfe', at: from });
  await rws.app.get(ScreenRecordingsService).stateChanged(people.ccid, recordingId, 'stopped', to);
  const video = screenVideo();
  const sha256 = createHash('sha256').update(video).digest('hex');
  const created = await request(rws.url)
    .post('/api/v2/screen-recordings/uploads')
    .set(TUS)
    .set('Authorization', people.alice.basic)
    .set('Upload-Length', String(video.length))
    .set('Upload-Metadata', formatUploadMetadata({ recordingId, filename: 'screen.webm', contentType: 'video/webm', sha256 }))
    .expect(201);
  await request(rws.url)
    .patch(new URL(created.headers.location).pathname)
    .set(TUS)
    .set('Authorization', people.alice.basic)
    .set('Upload-Offset', '0')
    .set('Content-Type', 'application/offset+octet-stream')
    .send(video)
    .expect(204);
}
