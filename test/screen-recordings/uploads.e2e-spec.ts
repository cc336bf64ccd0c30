import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { binaryBody } from '../support/binary-body';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import { UploadStore } from '../../src/screen-recordings/uploads/upload.store';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { STORAGE_BACKENDS, testConfig } from '../support/test-config';


describe.each(STORAGE_BACKENDS)('screen recording uploads (tus) on %s storage', (storage) => {
  let rws: TestApp;
  let people: IdentityFixture;

  beforeAll(async () => {
    rws = await startTestApp(testConfig({ storage }));
    people = await createIdentityFixture(rws);
  });
  afterAll(() => rws.close());

  const startRecording = () => startScreenRecording(rws, people);
  const createUpload = (auth: string, recordingId: string, file: Buffer, sha256?: string) => createTusUpload(rws, auth, recordingId, file, sha256);

  const patch = (auth: string, path: string, offset: number, bytes: Buffer) =>
    request(rws.url).patch(path).set(TUS).set('Authorization', auth).set('Upload-Offset', String(offset)).set('Content-Type', 'application/offset+octet-stream').send(bytes);

  const offsetOf = async (auth: string, path: string) => Number((await request(rws.url).head(path).set(TUS).set('Authorization', auth).expect(200)).headers['upload-offset']);

  it('resumes after cuts at 30 %, 60 % and 90 % and stores the verified recording', async () => {
    const file = randomBytes(2 * 1024 * 1024 + 123);
    const recordingId = await startRecording();
    const path = await createUpload(people.alice.basic, recordingId, file);
    for (const cut of [0.3, 0.6, 0.9]) {
      const offset = await offsetOf(people.alice.basic, path);
      const end = Math.floor(file.length * cut);
      const res = await patch(people.alice.basic, path, offset, file.subarray(offset, end)).expect(204);
      expect(Number(res.headers['upload-offset'])).toBe(end);
    }
    // A client that lost the answer re-sends from a stale offset: refused, nothing appended twice.
    await patch(people.alice.basic, path, 0, file.subarray(0, 10)).expect(409);
    const offset = await offsetOf(people.alice.basic, path);
    await patch(people.alice.basic, path, offset, file.subarray(offset)).expect(204);
    await request(rws.url).head(path).set(TUS).set('Authorization', people.alice.basic).expect(404);

    const stored = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
    expect(stored.body.recording.state).toBe('stored');
    const media = stored.body.recording.mediaFiles[0];
    expect(media).toMatchObject({ type: 'video/mp4', size: String(file.length), parameters: { contact: { userName: people.alice.userName } } });
    const content = await request(rws.url)
      .get(new URL(media.mediaUri).pathname)
      .set('Authorization', people.processor.basic)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(createHash('sha256').update(content.body as Buffer).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
  });

  it('discards an upload whose bytes do not match the announced SHA-256', async () => {
    const file = randomBytes(4096);
    const recordingId = await startRecording();
    const path = await createUpload(people.alice.basic, recordingId, file, 'f'.repeat(64));
    const res = await patch(people.alice.basic, path, 0, file).expect(409);
    expect(res.body.statusCode).toBe(7);
    const after = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
    expect(after.body.recording.mediaFiles).toEqual([]);
  });

  it('lets only the recorded agent upload, and hides other agents’ uploads', async () => {
    const file = randomBytes(1000);
    const recordingId = await startRecording();
    await request(rws.url)
      .post('/api/v2/screen-recordings/uploads')
      .set(TUS)
      .set('Authorization', people.bob.basic)
      .set('Upload-Length', String(file.length))
      .set('Upload-Metadata', formatUploadMetadata({ recordingId, sha256: createHash('sha256').update(file).digest('hex') }))
      .expect(404);
    const path = await createUpload(people.alice.basic, recordingId, file);
    await request(rws.url).head(path).set(TUS).set('Authorization', people.bob.basic).expect(404);
    await patch(people.bob.basic, path, 0, file).expect(404);
    await request(rws.url).post('/api/v2/screen-recordings/uploads').set('Authorization', people.alice.basic).set('Upload-Length', '10').expect(412);
  });

  it('never stores bytes past the announced length', async () => {
    const file = randomBytes(1000);
    const recordingId = await startRecording();
    const path = await createUpload(people.alice.basic, recordingId, file);
    await patch(people.alice.basic, path, 0, Buffer.concat([file, randomBytes(600)])).expect(204);
    const stored = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
    expect(stored.body.recording.mediaFiles[0].size).toBe('1000');
  });
});

/** A recording of alice's and a tus upload of `file` for it; returns the upload's path and the recording id. */
async function uploadFor(rws: TestApp, people: IdentityFixture, file: Buffer, callUuid: string): Promise<{ path: string; recordingId: string }> {
  const recordingId = await startScreenRecording(rws, people, { callUuid });
  return { path: await createTusUpload(rws, people.alice.basic, recordingId, file), recordingId };
}

describe('an upload interrupted by a restart of RWS', () => {
  it('resumes on the restarted node from the bytes it had stored', async () => {
    const config = testConfig();
    let rws = await startTestApp(config);
    const people = await createIdentityFixture(rws);
    const file = randomBytes(300_000);
    const { path, recordingId } = await uploadFor(rws, people, file, 'CALLRESTART');
    await request(rws.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', '0').set('Content-Type', 'application/offset+octet-stream').send(file.subarray(0, 100_000)).expect(204);
    await rws.close();

    rws = await startTestApp(config);
    try {
      const head = await request(rws.url).head(path).set(TUS).set('Authorization', people.alice.basic).expect(200);
      expect(head.headers['upload-offset']).toBe('100000');
      await request(rws.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', '100000').set('Content-Type', 'application/offset+octet-stream').send(file.subarray(100_000)).expect(204);
      const stored = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
      expect(stored.body.recording).toMatchObject({ state: 'stored', mediaFiles: [{ size: '300000' }] });
    } finally {
      await rws.close();
    }
  });
});

describe('an upload whose completion was never answered', () => {
  it('reports its last byte as missing, and the resend answers "stored" without storing twice', async () => {
    const rws = await startTestApp(testConfig());
    const restoreRemove = jest.spyOn(rws.app.get(UploadStore), 'remove');
    try {
      const people = await createIdentityFixture(rws);
      const file = randomBytes(200_000);
      const { path, recordingId } = await uploadFor(rws, people, file, 'CALLLOST');
      const patch = (offset: number) =>
        request(rws.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', String(offset)).set('Content-Type', 'application/offset+octet-stream').send(file.subarray(offset));
      const head = () => request(rws.url).head(path).set(TUS).set('Authorization', people.alice.basic);

      // The recording is committed, then the upload's record cannot be removed: the way a node stopping
      // right after the commit leaves it. The client gets no "stored".
      restoreRemove.mockRejectedValueOnce(new Error('store gone'));
      const lost = await patch(0);
      expect(lost.status).toBeGreaterThanOrEqual(500);
      expect((await head().expect(200)).headers['upload-offset']).toBe(String(file.length - 1));

      await patch(file.length - 1).expect(204);
      await head().expect(404);
      const stored = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
      expect(stored.body.recording).toMatchObject({ state: 'stored', mediaFiles: [{ size: '200000' }] });
      expect(stored.body.recording.mediaFiles).toHaveLength(1);
    } finally {
      restoreRemove.mockRestore();
      await rws.close();
    }
  });
});
