import { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { loadConfig } from '../../src/config/app-config';
import { binaryBody } from '../support/binary-body';
import { opensslCertificate } from '../support/crypto-fixtures';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording } from '../support/screen-upload-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { exitOf, spawnRwsNode } from '../support/ts-child-process';
import { nodeEnv, objectsOf, tusClient, webdav, webdavGet } from './upload-nodes-fixture';

const KB = 1024;
const MB = 1024 * KB;
const CHUNK = 256 * KB;

/**
 * tus uploads with no node-local state, on Cassandra and Apache WebDAV (through a proxy the test can cut),
 * encrypted: the PATCHes of one upload go to different nodes, one node is killed mid-PATCH, two nodes race
 * at one offset, WebDAV goes away, an abandoned upload expires on another node. Each time the stored file's
 * SHA-256 is the source's, playback Range reads are byte-exact across segment boundaries, and WebDAV holds
 * exactly the segments the manifest names.
 */
describe('screen uploads across nodes', () => {
  const masterKey = randomBytes(32).toString('base64');
  let proxy: TcpProxy;
  let proxiedWebdav: string;
  let a: TestApp;
  let b: TestApp;
  let people: IdentityFixture;
  let tus: ReturnType<typeof tusClient>;

  const startNode = (extra: Record<string, string> = {}) => startTestApp(loadConfig(nodeEnv(proxiedWebdav, masterKey, extra)));

  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: webdav().url.hostname, port: Number(webdav().url.port) });
    const proxied = new URL(webdav().url);
    proxied.port = String(proxy.port);
    proxiedWebdav = proxied.href;
    [a, b] = await Promise.all([startNode(), startNode()]);
    people = await createIdentityFixture(a);
    tus = tusClient(people);
    const certificate = opensslCertificate('upload-nodes');
    await request(a.url)
      .post(`/api/v2/ops/contact-centers/${people.ccid}/certificates`)
      .set('Authorization', a.opsAuth)
      .send({ certificate: readFileSync(certificate.certPath, 'utf8'), privateKey: readFileSync(certificate.keyPath, 'utf8'), activate: true })
      .expect(200);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await proxy?.close();
  });

  const startRecording = () => startScreenRecording(a, people, { agentHierarchy: '/EMEA/Sales/alice' });

  /** The recording is stored once with the file's bytes, WebDAV holds just its segments and manifest, and playback on `node` is byte-exact. */
  async function expectStored(node: TestApp, recordingId: string, file: Buffer, boundaries: number[]): Promise<void> {
    const stored = await request(node.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`).set('Authorization', people.processor.basic).expect(200);
    expect(stored.body.recording).toMatchObject({ state: 'stored', mediaFiles: [{ size: String(file.length), pkcs7: expect.stringMatching(/^-----BEGIN PKCS7-----/) }] });
    const media = stored.body.recording.mediaFiles[0] as { mediaId: string };
    const prefix = `cc/${people.ccid}/screen/${recordingId}/`;
    const objects = await objectsOf(people, recordingId);
    const manifests = objects.filter((o) => o.endsWith('.segments.bin'));
    expect(manifests).toHaveLength(1);
    const manifest = JSON.parse((await webdavGet(prefix + manifests[0])).toString()) as { segments: { key: string }[] };
    expect(manifest.segments.length).toBeGreaterThan(1);
    expect(objects).toEqual([manifests[0], ...manifest.segments.map((s) => s.key.slice(prefix.length))].sort());

    const play = (range?: string) => {
      const req = request(node.url).get(`/api/v2/screen-recordings/${recordingId}/play/${media.mediaId}`).set('Authorization', people.sue.basic);
      return (range ? req.set('Range', range) : req).buffer(true).parse(binaryBody);
    };
    expect(sha256((await play().expect(200)).body as Buffer)).toBe(sha256(file));
    // Around every chunk (= segment) boundary and every PATCH boundary, and one range over several segments.
    const points = [...boundaries, ...Array.from({ length: Math.floor(file.length / CHUNK) }, (_, i) => (i + 1) * CHUNK)].filter((p) => p > 20 && p < file.length - 20);
    const ranges = [...points.map((p) => [p - 17, p + 16]), [100, file.length - 100]];
    for (const [start, end] of ranges) {
      const part = await play(`bytes=${start}-${end}`).expect(206);
      expect((part.body as Buffer).equals(file.subarray(start, end + 1))).toBe(true);
    }
  }

  it('takes the PATCHes of one upload on alternating nodes, a client dropped mid-chunk included', async () => {
    const file = randomBytes(3 * MB + 17);
    const recordingId = await startRecording();
    const path = await createTusUpload(a, people.alice.basic, recordingId, file);
    await tus.patch(a.url, path, 0, file.subarray(0, 700 * KB)).expect(204);
    await tus.patch(b.url, path, 700 * KB, file.subarray(700 * KB, 1700 * KB)).expect(204);
    // A PATCH of less than a chunk is acknowledged too (its bytes wait, sealed, in the upload's record).
    await tus.patch(a.url, path, 1700 * KB, file.subarray(1700 * KB, 1700 * KB + 999)).expect(204);
    const dropped = await tus.openPatch(b.url, path, 1700 * KB + 999, file.subarray(1700 * KB + 999, 2 * MB + 999), 300_000);
    dropped.destroy();
    await expectEventually(async () => expect(await tus.offsetOf(a.url, path)).toBe(1700 * KB + 999 + 300_000));
    const resumeAt = 1700 * KB + 999 + 300_000;
    await tus.patch(a.url, path, resumeAt, file.subarray(resumeAt)).expect(204);
    await tus.head(b.url, path).expect(404);
    await expectStored(b, recordingId, file, [700 * KB, 1700 * KB, 1700 * KB + 999, resumeAt]);
  });

  /** What a node killed between a segment's PUT and the record's compare-and-set leaves: a segment no record names. */
  async function plantUnacknowledgedSegment(recordingId: string, path: string, offset: number): Promise<void> {
    const { url, auth } = webdav();
    const key = `cc/${people.ccid}/screen/${recordingId}/upload-${path.split('/').pop()}/${String(offset).padStart(12, '0')}-0badc0de.seg`;
    const res = await fetch(new URL(key, url.href.replace(/\/?$/, '/')), { method: 'PUT', headers: { Authorization: auth }, body: randomBytes(CHUNK) });
    expect(res.status).toBe(201);
  }

  it('sweeps a segment no record names (its node died before acknowledging it) when the upload completes', async () => {
    const file = randomBytes(2 * MB + 3);
    const recordingId = await startRecording();
    const path = await createTusUpload(a, people.alice.basic, recordingId, file);
    await tus.patch(a.url, path, 0, file.subarray(0, MB)).expect(204);
    await plantUnacknowledgedSegment(recordingId, path, MB);
    expect((await objectsOf(people, recordingId)).filter((o) => o.endsWith('-0badc0de.seg'))).toHaveLength(1);
    await tus.patch(b.url, path, MB, file.subarray(MB)).expect(204);
    // Exactly the manifest and the segments it names are left.
    await expectStored(a, recordingId, file, [MB]);
  });

  it('lets exactly one of two nodes append at the same offset; the other answers 409 and leaves no object', async () => {
    const file = randomBytes(2 * MB + 5);
    const recordingId = await startRecording();
    const path = await createTusUpload(a, people.alice.basic, recordingId, file);
    await tus.patch(a.url, path, 0, file.subarray(0, MB)).expect(204);
    const raced = await Promise.all([tus.patch(a.url, path, MB, file.subarray(MB, MB + 300 * KB)), tus.patch(b.url, path, MB, file.subarray(MB, MB + 300 * KB))]);
    expect(raced.map((r) => r.status).sort()).toEqual([204, 409]);
    const offset = await tus.offsetOf(b.url, path);
    expect(offset).toBe(MB + 300 * KB);
    await tus.patch(b.url, path, offset, file.subarray(offset)).expect(204);
    await expectStored(a, recordingId, file, [MB, MB + 300 * KB]);
  });

  it('refuses a PATCH while WebDAV is down (503, Retry-After, offset unchanged) and takes it once WebDAV is back', async () => {
    const file = randomBytes(MB + 99);
    const recordingId = await startRecording();
    const path = await createTusUpload(a, people.alice.basic, recordingId, file);
    await tus.patch(a.url, path, 0, file.subarray(0, 600 * KB)).expect(204);
    await proxy.cut();
    try {
      const refused = await tus.patch(b.url, path, 600 * KB, file.subarray(600 * KB));
      expect({ status: refused.status, statusCode: refused.body.statusCode }).toEqual({ status: 503, statusCode: 9 });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await tus.offsetOf(a.url, path)).toBe(600 * KB);
    } finally {
      await proxy.restore();
    }
    await tus.patch(a.url, path, 600 * KB, file.subarray(600 * KB)).expect(204);
    await expectStored(b, recordingId, file, [600 * KB]);
  });

  it('removes an abandoned upload and its segments (named or not) from any node (the sweep of a node with a short expiry)', async () => {
    const file = randomBytes(MB);
    const recordingId = await startRecording();
    const path = await createTusUpload(a, people.alice.basic, recordingId, file);
    await tus.patch(a.url, path, 0, file.subarray(0, 600 * KB)).expect(204);
    await plantUnacknowledgedSegment(recordingId, path, 600 * KB);
    expect((await objectsOf(people, recordingId)).length).toBeGreaterThan(1);
    const sweeper = await startNode({ RWS_UPLOAD_EXPIRY_SECONDS: '1' });
    try {
      await expectEventually(async () => {
        await tus.head(a.url, path).expect(404);
        expect(await objectsOf(people, recordingId)).toEqual([]);
      }, 20_000, 250);
    } finally {
      await sweeper.close();
    }
  });

  describe('a node killed (SIGKILL) mid-PATCH', () => {
    let child: ChildProcessWithoutNullStreams | undefined;
    afterAll(async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exitOf(child);
      }
    });

    it('leaves the upload at its acknowledged offset; the client resumes on another node and the file is stored whole', async () => {
      const node = await spawnRwsNode(nodeEnv(proxiedWebdav, masterKey));
      child = node.child;
      const doomed = node.url;
      const file = randomBytes(3 * MB + 1234);
      const recordingId = await startRecording();
      const path = await createTusUpload(a, people.alice.basic, recordingId, file);
      await tus.patch(doomed, path, 0, file.subarray(0, MB + 5)).expect(204);
      const cut = await tus.openPatch(doomed, path, MB + 5, file.subarray(MB + 5), 900 * KB);
      // Let the node encrypt and stream what it got into its segment's PUT, then kill it: no shutdown, no cleanup.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      child.kill('SIGKILL');
      await exitOf(child);
      cut.destroy();

      const offset = await tus.offsetOf(b.url, path);
      expect(offset).toBe(MB + 5);
      await tus.patch(b.url, path, offset, file.subarray(offset, 2 * MB)).expect(204);
      await tus.patch(a.url, path, 2 * MB, file.subarray(2 * MB)).expect(204);
      await expectStored(a, recordingId, file, [MB + 5, 2 * MB]);
    }, 180_000);
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
