import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import request from 'supertest';
import { MetricsService } from '../../src/metrics/metrics.service';
import type { AppConfig } from '../../src/config/app-config';
import { binaryBody } from '../support/binary-body';
import { opensslCertificate } from '../support/crypto-fixtures';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

const MB = 1024 * 1024;
const webdav = () => ({ url: new URL(process.env.WEBDAV_URL!), auth: `Basic ${Buffer.from(`${process.env.WEBDAV_USERNAME}:${process.env.WEBDAV_PASSWORD}`).toString('base64')}` });

/**
 * Uploads stream into Apache WebDAV (through a proxy the test can cut) while their PATCHes arrive, encrypted:
 * one PUT for the whole upload across PATCHes and a client reconnect; a PUT that dies mid-stream, an idle
 * client or a node restart fall back to storing the staged file; the recording is stored once, verified,
 * and no partial object is left in WebDAV.
 */
describe('screen uploads streamed into WebDAV while they arrive', () => {
  let proxy: TcpProxy;
  let config: AppConfig;
  let env: Record<string, string>;
  let rws: TestApp;
  let people: IdentityFixture;

  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: webdav().url.hostname, port: Number(webdav().url.port) });
    const proxied = new URL(webdav().url);
    proxied.port = String(proxy.port);
    // Cassandra and a shared master key: the nodes of the idle and restart cases see the same contact center and keys.
    env = { WEBDAV_URL: proxied.href, RWS_MASTER_KEY: randomBytes(32).toString('base64'), RWS_UPLOAD_STREAM_IDLE_SECONDS: '20' };
    config = testConfig({ metadata: 'cassandra', storage: 'webdav', env });
    rws = await startTestApp(config);
    people = await createIdentityFixture(rws);
    const certificate = opensslCertificate('upload-streaming');
    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${people.ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: readFileSync(certificate.certPath, 'utf8'), privateKey: readFileSync(certificate.keyPath, 'utf8'), activate: true })
      .expect(200);
  }, 60_000);
  afterAll(async () => {
    await rws?.close();
    await proxy?.close();
  });

  const startRecording = (app: TestApp) => startScreenRecording(app, people, { agentHierarchy: '/EMEA/Sales/alice' });
  const createUpload = (app: TestApp, recordingId: string, file: Buffer) => createTusUpload(app, people.alice.basic, recordingId, file);

  const patch = (app: TestApp, path: string, offset: number, bytes: Buffer) =>
    request(app.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', String(offset)).set('Content-Type', 'application/offset+octet-stream').send(bytes);

  const offsetOf = async (app: TestApp, path: string) =>
    Number((await request(app.url).head(path).set(TUS).set('Authorization', people.alice.basic).expect(200)).headers['upload-offset']);

  /** A PATCH whose client vanishes after `sent` of the announced bytes (handed to the kernel, so the server gets them). */
  async function droppedPatch(app: TestApp, path: string, offset: number, bytes: Buffer, sent: number): Promise<void> {
    const req = http.request(new URL(path, app.url), {
      method: 'PATCH',
      headers: { ...TUS, Authorization: people.alice.basic, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(bytes.length) },
    });
    req.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => req.write(bytes.subarray(0, sent), (err) => (err ? reject(err) : resolve())));
    req.destroy();
    await expectEventually(async () => expect(await offsetOf(app, path)).toBe(offset + sent));
  }

  async function stores(app: TestApp): Promise<Record<string, number>> {
    const metric = app.app.get(MetricsService).registry.getSingleMetric('rws_screen_upload_stores_total')!;
    const counts: Record<string, number> = {};
    for (const { labels, value } of (await metric.get()).values) counts[`${labels.start}/${labels.result}`] = value;
    return counts;
  }

  function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
    const d: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) d[k] = v - (before[k] ?? 0);
    return d;
  }

  /** Names of the objects WebDAV holds for a recording (asked directly, not through the proxy). */
  async function objectsOf(recordingId: string): Promise<string[]> {
    const { url, auth } = webdav();
    const res = await fetch(new URL(`cc/${people.ccid}/screen/${recordingId}/`, url.href.replace(/\/?$/, '/')), { method: 'PROPFIND', headers: { Authorization: auth, Depth: '1' } });
    if (res.status === 404) return [];
    const text = await res.text();
    return [...text.matchAll(/<D:href>([^<]+)<\/D:href>/gi)].map((m) => decodeURIComponent(m[1])).filter((href) => !href.endsWith('/'));
  }

  async function expectStoredOnce(app: TestApp, recordingId: string, file: Buffer): Promise<void> {
    const stored = await request(app.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
    expect(stored.body.recording).toMatchObject({ state: 'stored', mediaFiles: [{ size: String(file.length), pkcs7: expect.stringMatching(/^-----BEGIN PKCS7-----/) }] });
    const mediaId = stored.body.recording.mediaFiles[0].mediaId as string;
    const objects = await objectsOf(recordingId);
    expect(objects).toHaveLength(1);
    const played = await request(app.url).get(`/api/v2/screen-recordings/${recordingId}/play/${mediaId}`).set('Authorization', people.sue.basic).buffer(true).parse(binaryBody).expect(200);
    expect(sha256(played.body as Buffer)).toBe(sha256(file));
  }

  it('keeps one PUT open across PATCHes and a client that reconnects mid-chunk', async () => {
    const file = randomBytes(3 * MB + 17);
    const recordingId = await startRecording(rws);
    const path = await createUpload(rws, recordingId, file);
    const before = await stores(rws);

    await patch(rws, path, 0, file.subarray(0, MB)).expect(204);
    await droppedPatch(rws, path, MB, file.subarray(MB, 2 * MB), 300_000);
    const resumeAt = await offsetOf(rws, path);
    expect(resumeAt).toBe(MB + 300_000);
    await patch(rws, path, resumeAt, file.subarray(resumeAt)).expect(204);

    expect(delta(await stores(rws), before)).toEqual({ 'streamed/stored': 1 });
    await expectStoredOnce(rws, recordingId, file);
  });

  it('completes from the staged file when the streaming PUT dies mid-upload, leaving no partial object', async () => {
    const file = randomBytes(2 * MB + 5);
    const recordingId = await startRecording(rws);
    const path = await createUpload(rws, recordingId, file);
    const before = await stores(rws);

    await patch(rws, path, 0, file.subarray(0, MB)).expect(204);
    await proxy.cut();
    await expectEventually(async () => expect(delta(await stores(rws), before)).toEqual({ 'streamed/failed': 1 }));
    await proxy.restore();
    await patch(rws, path, MB, file.subarray(MB)).expect(204);

    // Stored by one new store over the staged bytes (from the staged file at completion, or a stream the PATCH restarted).
    expect(outcomes(delta(await stores(rws), before))).toEqual({ failed: 1, stored: 1 });
    await expectStoredOnce(rws, recordingId, file);
  });

  it('refuses the last chunk while WebDAV is down (nothing acknowledged is lost) and stores it once it is back', async () => {
    const file = randomBytes(MB + 99);
    const recordingId = await startRecording(rws);
    const path = await createUpload(rws, recordingId, file);

    const before = await stores(rws);
    await patch(rws, path, 0, file.subarray(0, MB)).expect(204);
    await proxy.cut();
    try {
      const refused = await patch(rws, path, MB, file.subarray(MB));
      expect(refused.status).toBe(503);
      expect(await offsetOf(rws, path)).toBe(MB);
      // The streaming store failed, and so did storing the staged file at completion.
      expect(delta(await stores(rws), before)).toEqual({ 'streamed/failed': 1, 'from_staging/failed': 1 });
    } finally {
      await proxy.restore();
    }
    const pending = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
    expect(pending.body.recording.mediaFiles).toEqual([]);
    expect(await objectsOf(recordingId)).toEqual([]);

    await patch(rws, path, MB, file.subarray(MB)).expect(204);
    await expectStoredOnce(rws, recordingId, file);
  });

  it('drops the PUT of a client that stays away past the idle time, and completes from staging when it returns', async () => {
    const idle = await startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav', env: { ...env, RWS_UPLOAD_STREAM_IDLE_SECONDS: '0.3' } }));
    try {
      const file = randomBytes(MB + 1234);
      const recordingId = await startRecording(idle);
      const path = await createUpload(idle, recordingId, file);
      const before = await stores(idle);
      await patch(idle, path, 0, file.subarray(0, MB)).expect(204);
      await expectEventually(async () => expect(delta(await stores(idle), before)).toEqual({ 'streamed/failed': 1 }));
      expect(await objectsOf(recordingId)).toEqual([]);
      await patch(idle, path, MB, file.subarray(MB)).expect(204);
      expect(outcomes(delta(await stores(idle), before))).toEqual({ failed: 1, stored: 1 });
      await expectStoredOnce(idle, recordingId, file);
    } finally {
      await idle.close();
    }
  });

  it('resumes on a restarted node: the aborted PUT leaves nothing, the new one reads the staged bytes from the start', async () => {
    const nodeConfig = testConfig({ metadata: 'cassandra', storage: 'webdav', env });
    let node = await startTestApp(nodeConfig);
    const file = randomBytes(2 * MB + 3);
    const recordingId = await startRecording(node);
    const path = await createUpload(node, recordingId, file);
    await patch(node, path, 0, file.subarray(0, MB + 1000)).expect(204);
    await node.close();
    await expectEventually(async () => expect(await objectsOf(recordingId)).toEqual([]));

    node = await startTestApp(nodeConfig);
    try {
      const before = await stores(node);
      expect(await offsetOf(node, path)).toBe(MB + 1000);
      await patch(node, path, MB + 1000, file.subarray(MB + 1000, MB + 2000)).expect(204);
      await patch(node, path, MB + 2000, file.subarray(MB + 2000)).expect(204);
      expect(delta(await stores(node), before)).toEqual({ 'streamed/stored': 1 });
      await expectStoredOnce(node, recordingId, file);
    } finally {
      await node.close();
    }
  });
});

/** Store results regardless of how each store started. */
function outcomes(counts: Record<string, number>): Record<string, number> {
  const byResult: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) byResult[key.split('/')[1]] = (byResult[key.split('/')[1]] ?? 0) + n;
  return byResult;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
