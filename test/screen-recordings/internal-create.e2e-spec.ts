import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { binaryBody } from '../support/binary-body';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

describe('a muxer records a screen recording whose media it stored (internal API)', () => {
  let rws: TestApp;
  let people: IdentityFixture;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    people = await createIdentityFixture(rws);
  });
  afterAll(() => rws.close());

  const body = (path: string) => ({
    callUuid: 'CALLMUX0001',
    userName: people.alice.userName,
    agentId: 'a-alice',
    startTime: '2026-11-20T10:00:00Z',
    stopTime: '2026-11-20T10:05:00.000+0000',
    mediaFiles: [{ mediaId: 'muxed.mp4', type: 'video/mp4', size: 4096, startTime: '2026-11-20T10:00:00Z', stopTime: '2026-11-20T10:05:00Z', path }],
  });

  it('records it when the media is in storage, and serves it', async () => {
    const bytes = randomBytes(4096);
    const id = randomUUID();
    const key = `cc/${people.ccid}/screen/${id}/muxed.mp4`;
    await rws.app.get(RecordingStorage).write(key, Readable.from([bytes]), { contentLength: bytes.length });
    const created = await request(rws.url).post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`).set('Authorization', people.processor.basic).send({ ...body(key), id }).expect(200);
    expect(created.body).toMatchObject({ statusCode: 0, recording: { callUuid: 'CALLMUX0001', state: 'stored', mediaFiles: [{ mediaId: 'muxed.mp4', size: '4096' }] } });
    const content = await request(rws.url).get(new URL(created.body.recording.mediaFiles[0].mediaUri).pathname).set('Authorization', people.processor.basic).buffer(true).parse(binaryBody).expect(200);
    expect((content.body as Buffer).equals(bytes)).toBe(true);
    const found = await request(rws.url).get('/api/v2/screen-recordings?callUuid=CALLMUX0001').set('Authorization', people.processor.basic).expect(200);
    expect(found.body.recordings.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    const byOps = await request(rws.url).get(`/api/v2/screen-recordings?callUuid=CALLMUX0001&ccid=${people.ccid}`).set('Authorization', rws.opsAuth).expect(200);
    expect(byOps.body.recordings).toHaveLength(1);
    await request(rws.url).get('/api/v2/screen-recordings?callUuid=CALLMUX0001').set('Authorization', rws.opsAuth).expect(400);
  });

  it('refuses media that is not in storage, bad input, and other contact centers’ services', async () => {
    const id = randomUUID();
    const missing = await request(rws.url)
      .post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`)
      .set('Authorization', people.processor.basic)
      .send({ ...body(`cc/${people.ccid}/screen/${id}/missing.mp4`), id })
      .expect(400);
    expect(missing.body.statusMessage).toMatch(/^Parameter 'mediaFiles\[0\]\.path' is invalid/);
    await request(rws.url).post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`).set('Authorization', people.processor.basic).send({ ...body('x'), mediaFiles: [] }).expect(400);
    await request(rws.url).post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`).set('Authorization', people.foreignService.basic).send(body('x')).expect(403);
    await request(rws.url).post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`).set('Authorization', people.alice.basic).send(body('x')).expect(403);
  });
});
