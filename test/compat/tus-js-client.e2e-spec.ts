/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are walked loosely */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tus from 'tus-js-client';
import { UploadStore } from '../../src/screen-recordings/uploads/upload.store';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { opensslCertificate } from '../support/crypto-fixtures';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { startScreenRecording } from '../support/screen-upload-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, TestApp } from '../support/test-app';
import { DEPLOYMENTS, deploymentConfig, startTestApp } from './compat-clients';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CHUNK = 256 * 1024;

/** Starts an upload with tus-js-client; resolves on success, rejects on its first error (no retries: the test resumes by hand). */
function runUpload(file: Buffer, options: tus.UploadOptions & { onUpload?: (upload: tus.Upload) => void }): Promise<tus.Upload> {
  return new Promise((resolve, reject) => {
    const upload: tus.Upload = new tus.Upload(file, {
      chunkSize: CHUNK,
      retryDelays: null,
      ...options,
      onSuccess: () => resolve(upload),
      onError: (err) => reject(err),
    });
    options.onUpload?.(upload);
    upload.start();
  });
}

/**
 * A third-party tus client (tus-js-client, as browsers and Node tools use it) uploads a screen recording into
 * RWS through a relay that drops the connection mid-way; a second client resumes from the upload URL. The
 * media is stored encrypted; played back decrypted it has the source's SHA-256. An upload abandoned for
 * longer than RWS_UPLOAD_EXPIRY_SECONDS is removed (tus `expiration`), and the client then starts anew.
 */
describe.each(DEPLOYMENTS)('tus-js-client uploads on the $name', (deployment) => {
  let rws: TestApp;
  let people: IdentityFixture;
  let proxy: TcpProxy;
  const recipient = opensslCertificate('tus-js-client');

  const metadataFor = (recordingId: string, file: Buffer) => ({ recordingId, filename: 'screen.mp4', contentType: 'video/mp4', sha256: sha256(file) });
  const endpoint = () => `http://${proxy.address}/api/v2/screen-recordings/uploads`;
  /** The same resource, straight to RWS (the test's own checks do not go through the relay). */
  const direct = (url: string) => `${rws.url}${new URL(url).pathname}`;

  async function start(env: Record<string, string> = {}) {
    rws = await startTestApp(deploymentConfig(deployment, env));
    people = await createIdentityFixture(rws);
    const cert = await fetch(`${rws.url}/api/v2/ops/contact-centers/${people.ccid}/certificates`, {
      method: 'POST',
      headers: { authorization: rws.opsAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ certificate: readFileSync(recipient.certPath, 'utf8'), privateKey: readFileSync(recipient.keyPath, 'utf8'), activate: true }),
    });
    expect(cert.status).toBe(200);
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(rws.url).port) });
  }
  async function stop() {
    await proxy?.close();
    await rws?.close();
  }

  /** Uploads until the relay has carried `fraction` of the file, then drops every connection mid-chunk. */
  async function interruptedUpload(recordingId: string, file: Buffer, fraction: number): Promise<string> {
    let uploadUrl = '';
    let cut = false;
    await expect(
      runUpload(file, {
        endpoint: endpoint(),
        headers: { Authorization: people.alice.basic },
        metadata: metadataFor(recordingId, file),
        onUploadUrlAvailable: () => undefined,
        onProgress: (sent) => {
          if (!cut && sent >= file.length * fraction && sent % CHUNK !== 0) {
            cut = true;
            void proxy.cut().then(() => proxy.restore());
          }
        },
        onUpload: (upload) => {
          const original = upload.options.onUploadUrlAvailable;
          upload.options.onUploadUrlAvailable = () => {
            uploadUrl = upload.url!;
            original?.();
          };
        },
      }),
    ).rejects.toThrow();
    expect(cut).toBe(true);
    expect(uploadUrl).toMatch(/\/api\/v2\/screen-recordings\/uploads\/[A-Za-z0-9_-]+$/);
    return uploadUrl;
  }

  describe('resuming', () => {
    beforeAll(() => start(), 120_000);
    afterAll(() => stop());

    it('announces expiration, survives a dropped connection, resumes from the upload URL, and stores what was sent', async () => {
      const options = await fetch(direct(endpoint()), { method: 'OPTIONS' });
      expect(options.headers.get('tus-extension')?.split(',')).toEqual(expect.arrayContaining(['creation', 'termination', 'expiration']));

      const file = randomBytes(2 * 1024 * 1024 + 12_345);
      const recordingId = await startScreenRecording(rws, people, { agentHierarchy: '/EMEA/Sales/alice' });
      const uploadUrl = await interruptedUpload(recordingId, file, 0.45);

      // What RWS holds after the drop: part of the file, and when it will expire if nobody comes back.
      const head = await fetch(direct(uploadUrl), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', authorization: people.alice.basic } });
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThan(file.length);
      const expires = Date.parse(head.headers.get('upload-expires') ?? '');
      expect(expires).toBeGreaterThan(Date.now() + 3600_000); // the default: a day after the last byte

      // A second client resumes from the URL: it sends only what is missing.
      let firstAccepted = -1;
      await runUpload(file, {
        uploadUrl,
        endpoint: endpoint(),
        headers: { Authorization: people.alice.basic },
        metadata: metadataFor(recordingId, file),
        onChunkComplete: (_size, accepted) => {
          if (firstAccepted < 0) firstAccepted = accepted;
        },
      });
      expect(firstAccepted).toBeGreaterThan(offset);
      expect(firstAccepted).toBeLessThanOrEqual(offset + CHUNK);

      // Stored encrypted; the stored bytes are not the source, the played (decrypted) bytes are.
      const meta = await fetch(`${rws.url}/internal-api/contact-centers/${people.ccid}/screen-recordings/${recordingId}`, { headers: { authorization: people.processor.basic } });
      const media = ((await meta.json()) as any).recording.mediaFiles[0];
      expect(media.pkcs7).toMatch(/^-----BEGIN PKCS7-----/);
      const stored = Buffer.from(await (await fetch(media.mediaUri, { headers: { authorization: people.processor.basic } })).arrayBuffer());
      expect(sha256(stored)).not.toBe(sha256(file));
      const view = await fetch(`${rws.url}/api/v2/screen-recordings/${recordingId}`, { headers: { authorization: people.sue.basic } });
      const playUri = ((await view.json()) as any).recording.mediaFiles[0].mediaUri;
      const played = Buffer.from(await (await fetch(playUri, { headers: { authorization: people.sue.basic } })).arrayBuffer());
      expect(played.length).toBe(file.length);
      expect(sha256(played)).toBe(sha256(file));
    });
  });

  describe('expiring', () => {
    beforeAll(() => start({ RWS_UPLOAD_EXPIRY_SECONDS: '1' }), 120_000);
    afterAll(() => stop());

    it('removes an abandoned upload on its own; the client then starts anew and the recording is stored', async () => {
      const file = randomBytes(1024 * 1024 + 99);
      const recordingId = await startScreenRecording(rws, people, { agentHierarchy: '/EMEA/Sales/alice' });
      const uploadUrl = await interruptedUpload(recordingId, file, 0.3);
      const uploadId = uploadUrl.split('/').pop()!;
      const uploads = rws.app.get(UploadStore);
      const storage = rws.app.get(RecordingStorage);
      const segments = (await uploads.get(uploadId))!.segments.map((s) => s.key);
      expect(segments.length).toBeGreaterThan(0);

      // Nobody asks for it: the sweep removes it with its bytes.
      await expectEventually(async () => (await uploads.get(uploadId)) === undefined && (await Promise.all(segments.map((k) => storage.stat(k)))).every((s) => s === undefined), 20_000);
      const head = await fetch(direct(uploadUrl), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', authorization: people.alice.basic } });
      expect(head.status).toBe(404);

      // tus-js-client, given the expired URL, finds it gone and creates a new upload.
      let newUrl = '';
      const upload = await runUpload(file, { uploadUrl, endpoint: endpoint(), headers: { Authorization: people.alice.basic }, metadata: metadataFor(recordingId, file), onUploadUrlAvailable: () => undefined });
      newUrl = upload.url!;
      expect(newUrl).not.toBe(uploadUrl);
      const view = await fetch(`${rws.url}/api/v2/screen-recordings/${recordingId}`, { headers: { authorization: people.sue.basic } });
      const recording = ((await view.json()) as any).recording;
      expect(recording.state).toBe('stored');
      const played = Buffer.from(await (await fetch(recording.mediaFiles[0].mediaUri, { headers: { authorization: people.sue.basic } })).arrayBuffer());
      expect(sha256(played)).toBe(sha256(file));
    });
  });
});
