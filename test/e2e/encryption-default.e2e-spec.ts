import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import request from 'supertest';
import { bufferSource } from '../../src/crypto/media/ciphertext-sources';
import { EncryptedMediaReader } from '../../src/crypto/media/encrypted-media-reader';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { createContactCenter, createUser, IdentityFixture, TestUser } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { binaryBody } from '../support/binary-body';

// RSA-3072 key generation at start and per contact center is slow on a loaded 2-core machine.
jest.setTimeout(90_000);

/**
 * Issue 13 (finding 9, last item): with the embedded default, screen recordings are never stored in clear.
 * A fresh start generates the default contact center's certificate and key; a contact center created later
 * gets one at its first upload; /health/ready names the contact centers that still have none.
 */
describe('screen encryption on by default (fresh embedded start)', () => {
  let app: TestApp;
  let defaultCcid: string;
  let laterCcid: string;
  const processorOf = new Map<string, TestUser>();

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_SCREEN_ENCRYPTION: 'on' } }));
    const list = await request(app.url).get('/api/v2/ops/contact-centers').set('Authorization', app.opsAuth).expect(200);
    defaultCcid = (list.body.uris[0] as string).split('/').pop()!;
    laterCcid = await createContactCenter(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The people an upload needs in one contact center: the recorded agent and a service account reading the metadata. */
  async function peopleOf(ccid: string): Promise<{ fixture: IdentityFixture; processor: TestUser }> {
    const [alice, processor] = await Promise.all([
      createUser(app, ccid, 'alice', { roles: ['agent'], agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice' }),
      createUser(app, ccid, 'processor', { kind: 'service' }),
    ]);
    return { fixture: { ccid, alice, processor } as unknown as IdentityFixture, processor };
  }

  async function uploadAndDescribe(ccid: string, file: Buffer) {
    const { fixture, processor } = await peopleOf(ccid);
    processorOf.set(ccid, processor);
    const recordingId = await startScreenRecording(app, fixture);
    const path = await createTusUpload(app, fixture.alice.basic, recordingId, file);
    await request(app.url)
      .patch(path)
      .set(TUS)
      .set('Authorization', fixture.alice.basic)
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(file)
      .expect(204);
    const meta = await request(app.url).get(`/internal-api/contact-centers/${ccid}/screen-recordings/${recordingId}`).set('Authorization', processor.basic).expect(200);
    return { media: meta.body.recording.mediaFiles[0], stored: (await app.app.get(ScreenRecordingStore).get(ccid, recordingId))!.mediaFiles[0] };
  }

  async function content(mediaUri: string, reader: TestUser): Promise<Buffer> {
    const res = await request(app.url)
      .get(new URL(mediaUri).pathname)
      .set('Authorization', reader.basic)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    return res.body as Buffer;
  }

  it('generated an active certificate with its private key for the default contact center', async () => {
    const res = await request(app.url).get(`/api/v2/ops/contact-centers/${defaultCcid}/certificates`).set('Authorization', app.opsAuth).expect(200);
    expect(res.body.certificates).toEqual([expect.objectContaining({ alias: 'rws-generated', status: 'active', hasPrivateKey: true, keyBits: 3072 })]);
  });

  it('/health/ready reports screen encryption up without a warning once every contact center has a certificate', async () => {
    const res = await request(app.url).get('/health/ready').expect(200);
    expect(res.body.dependencies['screen-encryption']).toEqual({ status: 'up', latencyMs: expect.any(Number) });
  });

  it('stores a screen upload of the default contact center encrypted, and RWS decrypts it again', async () => {
    const plaintext = randomBytes(300_000);
    const { media, stored } = await uploadAndDescribe(defaultCcid, plaintext);
    expect(media.pkcs7).toMatch(/^-----BEGIN PKCS7-----/);
    expect(media.originalMediaDescriptor.path).toMatch(/\.bin$/);
    // What storage holds (and what RWS serves to a crypto server) is ciphertext; RWS's own key opens it.
    const ciphertext = await content(media.mediaUri, processorOf.get(defaultCcid)!);
    expect(ciphertext.length).toBe((Math.floor(plaintext.length / 16) + 1) * 16);
    expect(ciphertext.includes(plaintext.subarray(0, 64))).toBe(false);
    const ops = { kind: 'ops' as const, userName: 'ops', roles: ['admin' as const], permissions: ['decrypt' as const], accessGroups: ['/'] };
    const decryptable = await app.app.get(EncryptedMediaReader, { strict: false }).prepare(ops, defaultCcid, { pkcs7: stored.pkcs7!, integrity: stored.integrity }, bufferSource(ciphertext));
    expect(decryptable.verified).toBe(true);
    expect((await buffer(await decryptable.open({ start: 0, end: plaintext.length - 1 }))).equals(plaintext)).toBe(true);
  });

  it('a contact center created later gets its certificate at its first upload: stored encrypted too', async () => {
    const { media } = await uploadAndDescribe(laterCcid, randomBytes(50_000));
    expect(media.pkcs7).toMatch(/^-----BEGIN PKCS7-----/);
    const res = await request(app.url).get(`/api/v2/ops/contact-centers/${laterCcid}/certificates`).set('Authorization', app.opsAuth).expect(200);
    expect(res.body.certificates).toEqual([expect.objectContaining({ alias: 'rws-generated', status: 'active' })]);
  });
});

/** With Cassandra RWS never makes keys by itself: an upload to a contact center without a certificate waits (503), never stored in clear. */
describe('screen encryption on by default with Cassandra', () => {
  let app: TestApp;
  let ccid: string;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata: 'cassandra', env: { RWS_SCREEN_ENCRYPTION: 'on' } }));
    ccid = await createContactCenter(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses to store an upload in clear: 503 with Retry-After until a certificate is uploaded', async () => {
    const [alice] = await Promise.all([createUser(app, ccid, 'alice', { roles: ['agent'], agentId: 'a-alice', agentHierarchy: '/EMEA/Sales/alice' })]);
    const fixture = { ccid, alice } as unknown as IdentityFixture;
    const file = randomBytes(20_000);
    const recordingId = await startScreenRecording(app, fixture);
    const path = await createTusUpload(app, alice.basic, recordingId, file);
    const res = await request(app.url)
      .patch(path)
      .set(TUS)
      .set('Authorization', alice.basic)
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(file);
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.statusMessage).toMatch(/no active certificate/);
    const stored = await app.app.get(ScreenRecordingStore).get(ccid, recordingId);
    expect(stored?.mediaFiles ?? []).toEqual([]);
  });

  it('/health/ready stays ready and warns about contact centers without a certificate', async () => {
    await expectEventually(async () => {
      const res = await request(app.url).get('/health/ready').expect(200);
      expect(res.body.dependencies['screen-encryption']).toMatchObject({ status: 'up', warning: expect.stringMatching(/contact center\(s\) without an active certificate/) });
    }, 30_000, 250);
  });
});
