import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import request from 'supertest';
import { bufferSource } from '../../src/crypto/media/ciphertext-sources';
import { EncryptedMediaReader } from '../../src/crypto/media/encrypted-media-reader';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { openssl, opensslCertificate } from '../support/crypto-fixtures';
import { createIdentityFixture, IdentityFixture } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

// Key generation and OpenSSL runs are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

/** Screen recordings uploaded to RWS are stored encrypted for the contact center's active certificate. */
describe('encrypted screen recordings', () => {
  let rws: TestApp;
  let people: IdentityFixture;
  const recipient = opensslCertificate('screen recordings');

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    people = await createIdentityFixture(rws);
  });
  afterAll(() => rws.close());

  async function upload(file: Buffer): Promise<string> {
    const recordingId = await startScreenRecording(rws, people);
    const path = await createTusUpload(rws, people.alice.basic, recordingId, file);
    await request(rws.url)
      .patch(path)
      .set(TUS)
      .set('Authorization', people.alice.basic)
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(file)
      .expect(204);
    return recordingId;
  }

  async function content(mediaUri: string): Promise<Buffer> {
    const res = await request(rws.url)
      .get(new URL(mediaUri).pathname)
      .set('Authorization', people.processor.basic)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return res.body as Buffer;
  }

  it('stores media in clear without a certificate, encrypted once one is active', async () => {
    const clear = randomBytes(100_000);
    const clearId = await upload(clear);
    const clearMeta = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${clearId}`).set('Authorization', people.processor.basic).expect(200);
    expect(clearMeta.body.recording.mediaFiles[0].pkcs7).toBeUndefined();
    expect((await content(clearMeta.body.recording.mediaFiles[0].mediaUri)).equals(clear)).toBe(true);

    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${people.ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: readFileSync(recipient.certPath, 'utf8'), privateKey: readFileSync(recipient.keyPath, 'utf8'), activate: true })
      .expect(200);

    const plaintext = randomBytes(1024 * 1024 + 77);
    const id = await upload(plaintext);
    const meta = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${id}`).set('Authorization', people.processor.basic).expect(200);
    const media = meta.body.recording.mediaFiles[0];
    expect(media.pkcs7).toMatch(/^-----BEGIN PKCS7-----/);
    expect(media.originalMediaDescriptor.path).toMatch(/\.bin$/);
    expect(media.size).toBe(String(plaintext.length));

    // What a crypto server fetches is the ciphertext; the pkcs7 and the certificate's key decrypt it (OpenSSL).
    const ciphertext = await content(media.mediaUri);
    expect(ciphertext.length).toBe((Math.floor(plaintext.length / 16) + 1) * 16);
    const envelopePath = join(recipient.dir, 'screen.pem');
    const binPath = join(recipient.dir, 'screen.bin');
    const outPath = join(recipient.dir, 'screen.out');
    writeFileSync(envelopePath, media.pkcs7);
    writeFileSync(binPath, ciphertext);
    openssl('cms', '-decrypt', '-binary', '-inform', 'PEM', '-in', envelopePath, '-content', binPath, '-inkey', recipient.keyPath, '-out', outPath);
    expect(readFileSync(outPath).equals(plaintext)).toBe(true);

    // RWS's own playback path verifies the stored chunk tags.
    const stored = (await rws.app.get(ScreenRecordingStore).get(people.ccid, id))!.mediaFiles[0];
    expect(stored.integrity).toMatchObject({ version: 1, plaintextSize: plaintext.length, ciphertextSize: ciphertext.length });
    const sue = { kind: 'user' as const, userName: people.sue.userName, ccid: people.ccid, roles: ['supervisor' as const], permissions: ['decrypt' as const], accessGroups: ['/EMEA/Sales'] };
    const decryptable = await rws.app.get(EncryptedMediaReader, { strict: false }).prepare(sue, people.ccid, { pkcs7: stored.pkcs7!, integrity: stored.integrity }, bufferSource(ciphertext));
    expect(decryptable.verified).toBe(true);
    expect((await buffer(await decryptable.open({ start: 500_000, end: 600_000 }))).equals(plaintext.subarray(500_000, 600_001))).toBe(true);
  });
});
