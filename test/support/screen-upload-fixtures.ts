import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ScreenRecordingStart } from '../../src/screen-recordings/screen-recordings.service';
import { ScreenRecordingsService } from '../../src/screen-recordings/screen-recordings.service';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import type { IdentityFixture } from './identity-fixtures';
import type { TestApp } from './test-app';

/** The header every tus request carries. */
export const TUS = { 'Tus-Resumable': '1.0.0' };

/** A screen recording of alice's, as RWS creates it when it tells her recorder to start; returns its id. */
export async function startScreenRecording(app: TestApp, people: IdentityFixture, fields: Partial<ScreenRecordingStart> = {}): Promise<string> {
  const recordingId = randomUUID();
  await app.app.get(ScreenRecordingsService).started({
    recordingId,
    ccid: people.ccid,
    userName: people.alice.userName,
    agentId: 'a-alice',
    callUuid: `CALL${randomUUID().slice(0, 8)}`,
    connId: '006c02462a161006',
    at: new Date().toISOString(),
    ...fields,
  });
  return recordingId;
}

/** Creates a tus upload of `file` for the recording (201 expected); returns the upload's path. */
export async function createTusUpload(app: TestApp, authorization: string, recordingId: string, file: Buffer, sha256 = createHash('sha256').update(file).digest('hex')): Promise<string> {
  const res = await request(app.url)
    .post('/api/v2/screen-recordings/uploads')
    .set(TUS)
    .set('Authorization', authorization)
    .set('Upload-Length', String(file.length))
    .set('Upload-Metadata', formatUploadMetadata({ recordingId, filename: 'screen.mp4', contentType: 'video/mp4', sha256 }))
    .expect(201);
  expect(res.headers['tus-resumable']).toBe('1.0.0');
  return new URL(res.headers.location).pathname;
}
