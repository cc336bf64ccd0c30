import { randomUUID } from 'node:crypto';
import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import type { AppConfig } from '../../src/config/app-config';
import { PendingMediaDeleteStore } from '../../src/storage/media-deletes/pending-media-delete.store';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/** Deleting a voice recording removes its media from the real Apache WebDAV the media server wrote it to. */
describe('voice recording delete removes media from WebDAV', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  let davUrl: string;
  let davAuth: string;

  beforeAll(async () => {
    const config = testConfig({ storage: 'webdav', env: { RWS_MEDIA_DELETE_RETRY_SECONDS: '0.2' } });
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

  it('deletes the metadata and queues the media delete when storage refuses it; the retry removes the media once it can', async () => {
    const url = await storeMedia();
    const doc = recordingDocument({ mediaFiles: [{ mediaId: 'locked.mp3', mediaDescriptor: { storage: 'webDAV', path: url } }] });
    await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
    // Wrong credentials for this contact center's storage: WebDAV answers 401 to every attempt.
    await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { store: [{ webDAV: { storagePath: davUrl, username: 'nobody', password: 'wrong' } }] });
    const response = await http.delete(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`);
    expect(response.body).toEqual({ statusCode: 0 });
    expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`)).status).toBe(404);
    expect(await mediaStatus(url)).toBe(200);
    const pending = await app.app.get(PendingMediaDeleteStore).list(ccid);
    expect(pending).toEqual([expect.objectContaining({ recordingId: doc.id, target: { kind: 'voice', path: url, recordingId: doc.id }, attempts: expect.any(Number) })]);
    const audit = await http.get(`/api/v2/ops/contact-centers/${ccid}/audit-log?userName=ops`);
    expect(JSON.stringify(audit.body)).toContain('media delete queued for retry');

    const auth = Buffer.from(davAuth.slice(6), 'base64').toString().split(':');
    await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { store: [{ webDAV: { storagePath: davUrl, username: auth[0], password: auth.slice(1).join(':') } }] });
    await expectEventually(async () => expect(await mediaStatus(url)).toBe(404));
    await expectEventually(async () => expect(await app.app.get(PendingMediaDeleteStore).list(ccid)).toEqual([]));
  });
});

/** A voice store that is down: the delete succeeds at once, the media delete survives a restart and completes once the store is back. */
describe('voice recording delete while the media host is down', () => {
  let proxy: TcpProxy;
  let config: AppConfig;
  let app: TestApp | undefined;

  beforeAll(async () => {
    const real = testConfig({ storage: 'webdav' });
    const dav = new URL(real.webdav!.url);
    proxy = await TcpProxy.start({ host: dav.hostname, port: Number(dav.port) });
    config = testConfig({ env: { RWS_MEDIA_DELETE_RETRY_SECONDS: '0.2' } });
    Object.assign(config, { webdav: real.webdav });
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
  });

  it('answers 200, removes the metadata, and deletes the media after the host is back, across a restart', async () => {
    app = await startTestApp(config);
    const http = client(app);
    const ccid = await createContactCenter(app);
    const real = new URL(config.webdav!.url);
    const proxied = new URL(config.webdav!.url);
    proxied.port = String(proxy.port);
    const storagePath = proxied.href.replace(/\/?$/, '/');
    const davAuth = `Basic ${Buffer.from(`${config.webdav!.username}:${config.webdav!.password}`).toString('base64')}`;
    await http.put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { store: [{ webDAV: { storagePath, username: config.webdav!.username, password: config.webdav!.password } }] });
    const name = `down-${randomUUID()}.mp3`;
    const direct = new URL(name, real.href.replace(/\/?$/, '/')).href;
    expect([201, 204]).toContain((await fetch(direct, { method: 'PUT', headers: { authorization: davAuth }, body: Buffer.alloc(64, 1) })).status);
    const doc = recordingDocument({ mediaFiles: [{ mediaId: 'down.mp3', mediaDescriptor: { storage: 'webDAV', path: storagePath + name } }] });
    expect((await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc)).status).toBe(200);

    await proxy.cut();
    const deleted = await http.delete(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`);
    expect(deleted.body).toEqual({ statusCode: 0 });
    expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`)).status).toBe(404);
    expect(await app.app.get(PendingMediaDeleteStore).list(ccid)).toHaveLength(1);

    // A restart in between: the queue is persisted with the metadata.
    await app.close();
    app = undefined;
    await proxy.restore();
    app = await startTestApp(config);
    const pendingAfterRestart = app.app.get(PendingMediaDeleteStore);
    await expectEventually(async () => expect((await fetch(direct, { headers: { authorization: davAuth } })).status).toBe(404), 20_000);
    await expectEventually(async () => expect(await pendingAfterRestart.list(ccid)).toEqual([]));
  });
});
