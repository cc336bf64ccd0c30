import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { parseHostPortList } from '../../src/config/host-port';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import { Readable } from 'node:stream';
import { PendingMediaDeleteStore } from '../../src/storage/media-deletes/pending-media-delete.store';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { createIdentityFixture, createUser, IdentityFixture } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * Outages are answered as outages (finding 8): 503 with Retry-After, never a final refusal such as 404
 * "recording not found" or 400 "no such object", so that clients retry instead of giving up.
 */
describe('screen recordings during dependency outages', () => {
  describe('Cassandra down when an upload completes', () => {
    let proxy: TcpProxy;
    let rws: TestApp;
    let people: IdentityFixture;

    beforeAll(async () => {
      const [cassandra] = parseHostPortList(testConfig({ metadata: 'cassandra' }).cassandra.contactPoints[0], 9042);
      proxy = await TcpProxy.start(cassandra);
      // Users stay cached for the test, so the requests pass authentication and reach the upload itself.
      rws = await startTestApp(testConfig({ metadata: 'cassandra', env: { CASSANDRA_CONTACT_POINTS: proxy.address, RWS_USER_CACHE_SECONDS: '300' } }));
      people = await createIdentityFixture(rws);
    }, 120_000);
    afterAll(async () => {
      await rws?.close();
      await proxy?.close();
    });

    const patch = (path: string, offset: number, bytes: Buffer) =>
      request(rws.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', String(offset)).set('Content-Type', 'application/offset+octet-stream').send(bytes);

    it('answers 503 with Retry-After (not 404) to completing and to starting uploads, and completes once Cassandra is back', async () => {
      const file = randomBytes(64 * 1024);
      const recordingId = await startScreenRecording(rws, people);
      const path = await createTusUpload(rws, people.alice.basic, recordingId, file);
      const half = file.length / 2;
      await patch(path, 0, file.subarray(0, half)).expect(204);

      await proxy.cut();
      const refused = await patch(path, half, file.subarray(half));
      expect({ status: refused.status, statusCode: refused.body.statusCode }).toEqual({ status: 503, statusCode: 9 });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

      // Starting the upload of another recording meanwhile: its recording cannot be read, which is not "not found".
      const other = await request(rws.url)
        .post('/api/v2/screen-recordings/uploads')
        .set(TUS)
        .set('Authorization', people.alice.basic)
        .set('Upload-Length', '10')
        .set('Upload-Metadata', formatUploadMetadata({ recordingId: randomUUID(), filename: 'screen.mp4', contentType: 'video/mp4', sha256: 'a'.repeat(64) }));
      expect({ status: other.status, statusCode: other.body.statusCode }).toEqual({ status: 503, statusCode: 9 });
      expect(Number(other.headers['retry-after'])).toBeGreaterThan(0);

      await proxy.restore();
      await expectEventually(async () => {
        const head = await request(rws.url).head(path).set(TUS).set('Authorization', people.alice.basic);
        const offset = Number(head.headers['upload-offset']);
        await patch(path, offset, file.subarray(offset)).expect(204);
      }, 40_000, 500);
      const stored = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
      expect(stored.body.recording.state).toBe('stored');
    }, 90_000);
  });

  describe('WebDAV down when a service registers stored media', () => {
    let proxy: TcpProxy;
    let rws: TestApp;
    let people: IdentityFixture;

    beforeAll(async () => {
      const real = testConfig({ storage: 'webdav' }).webdav!;
      const url = new URL(real.url);
      proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port) });
      url.port = String(proxy.port);
      rws = await startTestApp(testConfig({ storage: 'webdav', env: { WEBDAV_URL: url.href, RWS_MEDIA_DELETE_RETRY_SECONDS: '0.2' } }));
      people = await createIdentityFixture(rws);
    });
    afterAll(async () => {
      await rws?.close();
      await proxy?.close();
    });

    it('answers 503 with Retry-After (not 400 "no such object")', async () => {
      const id = randomUUID();
      await proxy.cut();
      try {
        const res = await request(rws.url)
          .post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`)
          .set('Authorization', people.processor.basic)
          .send({
            id,
            callUuid: 'CALLOUTAGE1',
            userName: people.alice.userName,
            startTime: '2026-11-20T10:00:00Z',
            mediaFiles: [{ mediaId: 'muxed.mp4', type: 'video/mp4', size: 10, startTime: '2026-11-20T10:00:00Z', stopTime: '2026-11-20T10:05:00Z', path: `cc/${people.ccid}/screen/${id}/muxed.mp4` }],
          });
        expect({ status: res.status, statusCode: res.body.statusCode }).toEqual({ status: 503, statusCode: 9 });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await proxy.restore();
      }
    });

    it('deletes screen media while WebDAV is down: the metadata goes at once, the object once WebDAV is back', async () => {
      const deleter = await createUser(rws, people.ccid, 'deleter', { kind: 'service', permissions: ['deleteRecordings'] });
      const id = randomUUID();
      const key = `cc/${people.ccid}/screen/${id}/muxed.mp4`;
      const storage = rws.app.get(RecordingStorage);
      await storage.write(key, Readable.from([randomBytes(10)]), { contentLength: 10 });
      await request(rws.url)
        .post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`)
        .set('Authorization', deleter.basic)
        .send({
          id,
          callUuid: 'CALLOUTAGE2',
          userName: people.alice.userName,
          startTime: '2026-11-20T10:00:00Z',
          mediaFiles: [{ mediaId: 'muxed.mp4', type: 'video/mp4', size: 10, startTime: '2026-11-20T10:00:00Z', stopTime: '2026-11-20T10:05:00Z', path: key }],
        })
        .expect(200);

      await proxy.cut();
      try {
        await request(rws.url).delete(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${id}/content/muxed.mp4`).set('Authorization', deleter.basic).expect(200);
        expect((await rws.app.get(PendingMediaDeleteStore).list(people.ccid)).map((e) => e.target)).toContainEqual({ kind: 'storage', key });
      } finally {
        await proxy.restore();
      }
      const internal = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${id}`).set('Authorization', deleter.basic).expect(200);
      expect(internal.body.recording.mediaFiles).toEqual([]);
      await expectEventually(async () => expect(await storage.stat(key)).toBeUndefined(), 20_000);
      await expectEventually(async () => expect(await rws.app.get(PendingMediaDeleteStore).list(people.ccid)).toEqual([]));
    });
  });
});
