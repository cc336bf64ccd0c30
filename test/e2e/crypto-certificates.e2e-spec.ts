import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import request from 'supertest';
import { bufferSource } from '../../src/crypto/media/ciphertext-sources';
import { EncryptedMediaReader } from '../../src/crypto/media/encrypted-media-reader';
import { MediaEncryption } from '../../src/screen-recordings/media-encryption';
import { decryptingUser } from '../support/crypto-fixtures';
import { createContactCenter, createUser } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { makeTestCertificate } from '../support/x509-factory';

// Key generation and OpenSSL runs are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

describe('certificates ops API', () => {
  let rws: TestApp;
  let ccid: string;
  let base: string;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    ccid = (await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'certs' }).expect(200)).body.contactCenter.id;
    base = `/api/v2/ops/contact-centers/${ccid}`;
  });
  afterAll(() => rws.close());

  const post = (path: string, body: unknown) => request(rws.url).post(path).set('Authorization', rws.opsAuth).send(body as object);
  const get = (path: string) => request(rws.url).get(path).set('Authorization', rws.opsAuth);

  it('uploads with or without the private key, never shows the key, refuses duplicates', async () => {
    const withKey = makeTestCertificate({ commonName: 'cc media 2026' });
    const uploaded = await post(`${base}/certificates`, { certificate: withKey.certificatePem, privateKey: withKey.privateKeyPem }).expect(200);
    expect(uploaded.body).toEqual({
      statusCode: 0,
      certificate: expect.objectContaining({ id: expect.any(String), alias: 'cc media 2026', status: 'inactive', hasPrivateKey: true, keyBits: 2048, subject: 'CN=cc media 2026' }),
    });
    expect(JSON.stringify(uploaded.body)).not.toContain('PRIVATE KEY');
    const publicOnly = makeTestCertificate();
    const second = await post(`${base}/certificates`, { certificate: publicOnly.certificatePem, alias: 'held elsewhere' }).expect(200);
    expect(second.body.certificate).toMatchObject({ alias: 'held elsewhere', hasPrivateKey: false });
    const duplicate = await post(`${base}/certificates`, { certificate: withKey.certificatePem }).expect(409);
    expect(duplicate.body).toEqual({ statusCode: 7, statusMessage: `This certificate is already uploaded as [${uploaded.body.certificate.id}].` });
    const listed = await get(`${base}/certificates`).expect(200);
    expect(listed.body.certificates.map((c: { id: string }) => c.id)).toEqual([uploaded.body.certificate.id, second.body.certificate.id]);
    expect(JSON.stringify(listed.body)).not.toContain('PRIVATE KEY');
  });

  it('refuses unusable uploads with a 400 that says why, and stores nothing', async () => {
    const before = (await get(`${base}/certificates`).expect(200)).body.certificates.length;
    const small = makeTestCertificate({ bits: 1024 });
    const a = makeTestCertificate();
    const b = makeTestCertificate();
    const cases: [unknown, RegExp][] = [
      [{ certificate: small.certificatePem }, /Parameter 'certificate' is invalid: the RSA key has 1024 bits/],
      [{ certificate: a.certificatePem, privateKey: b.privateKeyPem }, /Parameter 'privateKey' is invalid: the private key does not belong to the certificate/],
      [{ certificate: 'not a certificate' }, /exactly one PEM certificate/],
      [{}, /certificate/],
      [{ certificate: a.certificatePem, activate: 'yes' }, /activate/],
    ];
    for (const [body, message] of cases) {
      const res = await post(`${base}/certificates`, body).expect(400);
      expect(res.body).toEqual({ statusCode: 2, statusMessage: expect.stringMatching(message) });
    }
    expect((await get(`${base}/certificates`).expect(200)).body.certificates).toHaveLength(before);
  });

  it('activates one certificate at a time, retires, deletes only what is not active, and shows the active one in settings', async () => {
    const empty = await get(`${base}/settings/screen-recording-encryption`).expect(200);
    expect(empty.body).toEqual({ statusCode: 0, settings: [], key: 'name' });

    const one = makeTestCertificate({ commonName: 'one' });
    const two = makeTestCertificate({ commonName: 'two' });
    const idOne = (await post(`${base}/certificates`, { certificate: one.certificatePem, privateKey: one.privateKeyPem, activate: true }).expect(200)).body.certificate.id;
    const idTwo = (await post(`${base}/certificates`, { certificate: two.certificatePem, privateKey: two.privateKeyPem }).expect(200)).body.certificate.id;
    expect((await get(`${base}/certificates/${idOne}`).expect(200)).body.certificate.status).toBe('active');

    const settings = await get(`${base}/settings/screen-recording-encryption`).expect(200);
    expect(settings.body).toEqual({
      statusCode: 0,
      settings: [
        { name: 'certificatealias-1', value: 'one' },
        { name: 'certificate-1', value: one.x509.toString() },
      ],
      key: 'name',
    });

    const activated = await post(`${base}/certificates/${idTwo}`, { operationName: 'activate' }).expect(200);
    expect(activated.body.certificate).toMatchObject({ id: idTwo, status: 'active', activatedAt: expect.any(String) });
    expect((await get(`${base}/certificates/${idOne}`).expect(200)).body.certificate).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
    expect((await get(`${base}/settings/screen-recording-encryption`).expect(200)).body.settings[0].value).toBe('two');

    const refused = await request(rws.url).delete(`${base}/certificates/${idTwo}`).set('Authorization', rws.opsAuth).expect(409);
    expect(refused.body.statusMessage).toMatch(/is active: retire it before deleting it/);
    await request(rws.url).delete(`${base}/certificates/${idOne}`).set('Authorization', rws.opsAuth).expect(200, { statusCode: 0 });
    expect((await get(`${base}/certificates/${idOne}`).expect(200)).body.certificate).toMatchObject({ status: 'deleted', hasPrivateKey: false });
    expect((await post(`${base}/certificates/${idOne}`, { operationName: 'activate' }).expect(409)).body.statusMessage).toMatch(/was deleted/);

    await post(`${base}/certificates/${idTwo}`, { operationName: 'retire' }).expect(200);
    expect((await get(`${base}/settings/screen-recording-encryption`).expect(200)).body.settings).toEqual([]);
  });

  it('refuses to activate an expired certificate (it may still be uploaded to decrypt old media)', async () => {
    const expired = makeTestCertificate({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const id = (await post(`${base}/certificates`, { certificate: expired.certificatePem, privateKey: expired.privateKeyPem }).expect(200)).body.certificate.id;
    const res = await post(`${base}/certificates/${id}`, { operationName: 'activate' }).expect(409);
    expect(res.body.statusMessage).toMatch(/expired on 2021-01-01/);
    const other = makeTestCertificate({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const before = (await get(`${base}/certificates`).expect(200)).body.certificates.length;
    await post(`${base}/certificates`, { certificate: other.certificatePem, activate: true }).expect(409);
    expect((await get(`${base}/certificates`).expect(200)).body.certificates).toHaveLength(before);
  });

  it('lets users with manageCertificates manage their own contact center only; settings for its service accounts', async () => {
    const manager = await createUser(rws, ccid, 'certmgr', { roles: ['admin'], permissions: ['manageCertificates'] });
    const plain = await createUser(rws, ccid, 'plain', { roles: ['supervisor'], permissions: ['decrypt'] });
    const service = await createUser(rws, ccid, 'svc', { kind: 'service' });
    const otherCcid = await createContactCenter(rws);
    const cert = makeTestCertificate({ commonName: 'managed by a user' });
    const uploaded = await request(rws.url).post(`${base}/certificates`).set('Authorization', manager.basic).send({ certificate: cert.certificatePem, privateKey: cert.privateKeyPem }).expect(200);
    expect(uploaded.body.certificate.hasPrivateKey).toBe(true);
    await request(rws.url).get(`${base}/certificates`).set('Authorization', manager.basic).expect(200);
    const foreign = await request(rws.url).get(`/api/v2/ops/contact-centers/${otherCcid}/certificates`).set('Authorization', manager.basic).expect(403);
    expect(foreign.body.statusCode).toBe(5);
    const unpermitted = await request(rws.url).get(`${base}/certificates`).set('Authorization', plain.basic).expect(403);
    expect(unpermitted.body.statusCode).toBe(3);
    await request(rws.url).get(`${base}/settings/screen-recording-encryption`).set('Authorization', service.basic).expect(200);
    await request(rws.url).get(`${base}/settings/screen-recording-encryption`).set('Authorization', plain.basic).expect(403);
    await request(rws.url).post('/api/v2/ops/crypto/master-key').set('Authorization', manager.basic).send({ operationName: 'rewrap' }).expect(403);
  });

  it('answers unknown contact centers, certificates and operations with the envelope', async () => {
    await get(`/api/v2/ops/contact-centers/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/certificates`).expect(404);
    const missing = await get(`${base}/certificates/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`).expect(404);
    expect(missing.body.statusMessage).toMatch(/^Certificate \[.*\] cannot be found\.$/);
    await get(`${base}/certificates/not-an-id`).expect(404);
    const some = (await get(`${base}/certificates`).expect(200)).body.certificates[0].id;
    const bad = await post(`${base}/certificates/${some}`, { operationName: 'explode' }).expect(400);
    expect(bad.body).toEqual({ statusCode: 2, statusMessage: expect.stringMatching(/operationName must be 'activate' or 'retire'/) });
    await request(rws.url).get(`${base}/certificates`).expect(401);
  });
});

describe('master key rotation', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rws-rotation-'));
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');
  const config = (env: Record<string, string>) => testConfig({ env: { RWS_DATA_DIR: dataDir, ...env } });

  async function playback(rws: TestApp, ccid: string, media: { pkcs7: string; integrity: Record<string, unknown>; ciphertext: Buffer }): Promise<string> {
    const reader = rws.app.get(EncryptedMediaReader, { strict: false });
    const decryptable = await reader.prepare(decryptingUser(ccid), ccid, media, bufferSource(media.ciphertext));
    return (await buffer(await decryptable.open())).toString();
  }

  it('keeps private keys usable across a rotation, re-wraps while serving, and names a missing master key', async () => {
    let rws = await startTestApp(config({ RWS_MASTER_KEY: k1 }));
    const ccid = (await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({}).expect(200)).body.contactCenter.id;
    const cert = makeTestCertificate();
    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: cert.certificatePem, privateKey: cert.privateKeyPem, activate: true })
      .expect(200);
    const session = (await rws.app.get(MediaEncryption, { strict: false }).begin(ccid))!;
    const ciphertext = await buffer(Readable.from([Buffer.from('before rotation')]).pipe(session.stream));
    const media = { ...session.result(), ciphertext };
    await rws.close();

    // New current key, old key still accepted: serves at once, then re-wraps.
    rws = await startTestApp(config({ RWS_MASTER_KEY: k2, RWS_MASTER_KEYS_OLD: k1 }));
    expect(await playback(rws, ccid, media)).toBe('before rotation');
    const rewrap = await request(rws.url).post('/api/v2/ops/crypto/master-key').set('Authorization', rws.opsAuth).send({ operationName: 'rewrap' }).expect(200);
    expect(rewrap.body).toMatchObject({ statusCode: 0, rewrapped: 1, unavailable: 0 });
    const again = await request(rws.url).post('/api/v2/ops/crypto/master-key').set('Authorization', rws.opsAuth).send({ operationName: 'rewrap' }).expect(200);
    expect(again.body).toMatchObject({ rewrapped: 0, alreadyCurrent: 1 });
    await rws.close();

    // The old key can go.
    rws = await startTestApp(config({ RWS_MASTER_KEY: k2 }));
    expect(await playback(rws, ccid, media)).toBe('before rotation');
    await rws.close();

    // A node without the right master key fails clearly, never with garbage.
    rws = await startTestApp(config({ RWS_MASTER_KEY: k1 }));
    await expect(playback(rws, ccid, media)).rejects.toThrow(/sealed under a master key this node was not given/);
    await rws.close();
  });

  it('generates a master key into the data directory when none is configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-generated-'));
    const rws = await startTestApp(testConfig({ env: { RWS_DATA_DIR: dir } }));
    try {
      expect(statSync(join(dir, 'crypto', 'master.key')).mode & 0o777).toBe(0o600);
    } finally {
      await rws.close();
    }
  });
});
