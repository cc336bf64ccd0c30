import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { binaryBody } from '../support/binary-body';
import { startTestApp, TestApp } from '../support/test-app';
import { downloadRelease } from '../../tools/recorder/update-downloader';
import { STORAGE_BACKENDS, testConfig } from '../support/test-config';

describe.each(STORAGE_BACKENDS)('recorder releases on %s storage', (storage) => {
  let rws: TestApp;
  const { privateKey } = generateKeyPairSync('ed25519');
  const keyFile = join(mkdtempSync(join(tmpdir(), 'rws-release-key-')), 'release.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const build = randomBytes(3 * 1024 * 1024 + 17);
  const platform = `windows-x64-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    rws = await startTestApp(testConfig({ storage, env: { RWS_RELEASE_SIGNING_KEY_FILE: keyFile } }));
  });
  afterAll(() => rws.close());

  const publish = (version: string, body: Buffer, query = '') =>
    request(rws.url)
      .post(`/api/v2/ops/screen-recorder/releases?version=${version}&platform=${platform}${query}`)
      .set('Authorization', rws.opsAuth)
      .set('Content-Type', 'application/octet-stream')
      .send(body);

  it('publishes a streamed build with its SHA-256 and a verifiable signature', async () => {
    const res = await publish('1.4.2', build).expect(200);
    const sha256 = createHash('sha256').update(build).digest('hex');
    expect(res.body.release).toMatchObject({ version: '1.4.2', platform, size: build.length, sha256 });
    const signature = Buffer.from(res.body.release.signature, 'base64');
    expect(verify(null, Buffer.from(sha256, 'hex'), createPublicKey(privateKey), signature)).toBe(true);
  });

  it('refuses to publish the same version twice, and malformed versions', async () => {
    const again = await publish('1.4.2', Buffer.from('other')).expect(409);
    expect(again.body.statusCode).toBe(7);
    const bad = await publish('1.4', Buffer.from('x')).expect(400);
    expect(bad.body.statusMessage).toMatch(/^Parameter 'version' is invalid/);
  });

  it('tells a recorder that is behind, and answers 204 to one that is current', async () => {
    const latest = await request(rws.url).get(`/api/v2/screen-recorder/releases/latest?platform=${platform}&current=1.3.9`).set('Authorization', rws.opsAuth).expect(200);
    expect(latest.body).toMatchObject({ version: '1.4.2', size: build.length, url: `${rws.url}/api/v2/screen-recorder/releases/1.4.2/${platform}` });
    await request(rws.url).get(`/api/v2/screen-recorder/releases/latest?platform=${platform}&current=1.4.2`).set('Authorization', rws.opsAuth).expect(204);
  });

  it('offers nobody a release rolled out to 0 %', async () => {
    await publish('1.5.0', Buffer.from('canary'), '&rollout=0').expect(200);
    const latest = await request(rws.url).get(`/api/v2/screen-recorder/releases/latest?platform=${platform}&current=1.0.0`).set('Authorization', rws.opsAuth).expect(200);
    expect(latest.body.version).toBe('1.4.2');
  });

  it('downloads whole and by Range', async () => {
    const whole = await request(rws.url)
      .get(`/api/v2/screen-recorder/releases/1.4.2/${platform}`)
      .set('Authorization', rws.opsAuth)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(Buffer.compare(whole.body as Buffer, build)).toBe(0);
    const part = await request(rws.url)
      .get(`/api/v2/screen-recorder/releases/1.4.2/${platform}`)
      .set('Authorization', rws.opsAuth)
      .set('Range', 'bytes=1000-1999')
      .buffer(true)
      .parse(binaryBody)
      .expect(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${build.length}`);
    expect(Buffer.compare(part.body as Buffer, build.subarray(1000, 2000))).toBe(0);
    await request(rws.url).get(`/api/v2/screen-recorder/releases/1.4.2/${platform}`).set('Authorization', rws.opsAuth).set('Range', `bytes=${build.length}-`).expect(416);
    await request(rws.url).get(`/api/v2/screen-recorder/releases/9.9.9/${platform}`).set('Authorization', rws.opsAuth).expect(404);
  });

  it('lets the reference recorder download and verify a signed build, and refuse one signed by another key', async () => {
    const latest = await request(rws.url).get(`/api/v2/screen-recorder/releases/latest?platform=${platform}&current=1.0.0`).set('Authorization', rws.opsAuth).expect(200);
    const pinned = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    const dir = mkdtempSync(join(tmpdir(), 'rws-update-'));
    const file = await downloadRelease(latest.body, dir, rws.opsAuth, pinned);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(latest.body.sha256);
    const stranger = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(downloadRelease(latest.body, dir, rws.opsAuth, stranger)).rejects.toThrow(/invalid signature/);
    await expect(downloadRelease({ ...latest.body, sha256: 'f'.repeat(64), signature: undefined }, dir, rws.opsAuth)).rejects.toThrow(/does not match/);
  });
});
