import { randomUUID } from 'node:crypto';
import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/** Deleting a voice recording removes its media from the real Apache WebDAV the media server wrote it to. */
describe('voice recording delete removes media from WebDAV', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  let davUrl: string;
  let davAuth: string;

  beforeAll(async () => {
    const config = testConfig({ storage: 'webdav' });
    app = await startTestApp(config);
    http = client(app);
    ccid = await createContactCenter(app);
    davUrl = config.webdav!.url.replace(/\/?$/, '/');
    davAuth = `Basic ${Buffer.from(`${config.webdav!.username}:${config.webdav!.password}`).toString('base64')}`;
    const settings = { store: [{ webDAV: { storagePath: davUrl, username: config.webdav!.username, password: config.webdav!.password } }] };
    expect((await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, settings)).status).toBe(200);
  }, 60_000);
  afterAll(() => app?.close());

  async function storeMedia(): Promise<string> {
    const url = `${davUrl}voice-${randomUUID()}.mp3`;
    const put = await fetch(url, { method: 'PUT', headers: { authorization: davAuth }, body: Buffer.alloc(1024, 7) });
    expect([201, 204]).toContain(put.status);
    return url;
  }
  const mediaStatus = async (url: string) => (await fetch(url, { headers: { authorization: davAuth } })).status;

  it('deletes metadata and media; keeps both while non-delete applies', async () => {
    const url = await storeMedia();
    const doc = recordingDocument({ mediaFiles: [{ mediaId: 'voice.mp3', type: 'audio/mp3', mediaDescriptor: { storage: 'webDAV', path: url } }] });
    expect((await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc)).status).toBe(200);
    const path = `/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`;

    await http.post(path, { operationName: 'applyNonDelete' });
    expect((await http.delete(path)).status).toBe(409);
    expect(await mediaStatus(url)).toBe(200);

    await http.post(path, { operationName: 'removeNonDelete' });
    expect((await http.delete(path)).body).toEqual({ statusCode: 0 });
    expect(await mediaStatus(url)).toBe(404);
    expect((await http.get(path)).status).toBe(404);
  });

  it('answers 503 and keeps the metadata when storage refuses the delete', async () => {
    const url = await storeMedia();
    const doc = recordingDocument({ mediaFiles: [{ mediaId: 'locked.mp3', mediaDescriptor: { storage: 'webDAV', path: url } }] });
    await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
    // Wrong credentials for this contact center's storage: WebDAV answers 401, nothing may be lost.
    await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { store: [{ webDAV: { storagePath: davUrl, username: 'nobody', password: 'wrong' } }] });
    try {
      const response = await http.delete(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`);
      expect(response.status).toBe(503);
      expect(response.body.statusCode).toBe(9);
      expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`)).status).toBe(200);
      expect(await mediaStatus(url)).toBe(200);
    } finally {
      const auth = Buffer.from(davAuth.slice(6), 'base64').toString().split(':');
      await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { store: [{ webDAV: { storagePath: davUrl, username: auth[0], password: auth.slice(1).join(':') } }] });
    }
  });
});
