import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ModuleRef } from '@nestjs/core';
import request from 'supertest';
import { DependencyUnavailableException } from '../../src/common/errors/rws.exception';
import { CryptoAuditSink, KeyUnwrapAuditEvent } from '../../src/crypto/crypto-audit';
import { DecryptNotPermittedException } from '../../src/crypto/crypto.exception';
import { CryptoService } from '../../src/crypto/crypto.service';
import { RemoteCryptoService } from '../../src/crypto/remote/remote-crypto.service';
import { MasterKeyRing } from '../../src/crypto/keys/master-key-ring';
import { PrivateKeyVault } from '../../src/crypto/keys/private-key-vault';
import { bufferSource } from '../../src/crypto/media/ciphertext-sources';
import { EncryptedMediaReader } from '../../src/crypto/media/encrypted-media-reader';
import { MediaEncryption } from '../../src/screen-recordings/media-encryption';
import { decryptingUser, startCryptoServer } from '../support/crypto-fixtures';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { makeTestCertificate } from '../support/x509-factory';

// Key generation and OpenSSL runs are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

/**
 * The crypto service as its own process (RWS_CRYPTO_URL): API nodes share the metadata store (Cassandra)
 * but hold no master key and no private key; they unwrap through the service with its credential.
 */
describe('remote crypto service', () => {
  const token = randomBytes(32).toString('base64');
  let crypto: Awaited<ReturnType<typeof startCryptoServer>>;
  let api: TestApp;
  let ccid: string;
  const audit: KeyUnwrapAuditEvent[] = [];

  beforeAll(async () => {
    crypto = await startCryptoServer(testConfig({ metadata: 'cassandra', env: { RWS_CRYPTO_SERVICE_TOKEN: token, RWS_MASTER_KEY: randomBytes(32).toString('base64') } }));
    jest.spyOn(crypto.app.get(CryptoAuditSink, { strict: false }), 'record').mockImplementation(async (event) => {
      audit.push(event);
    });
    api = await startTestApp(testConfig({ metadata: 'cassandra', env: { RWS_CRYPTO_URL: crypto.url, RWS_CRYPTO_SERVICE_TOKEN: token } }));
    ccid = (await request(api.url).post('/api/v2/ops/contact-centers').set('Authorization', api.opsAuth).send({ name: 'remote' }).expect(200)).body.contactCenter.id;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await crypto?.close();
  });

  it('keeps private keys off API nodes: key uploads go to the crypto service, which API nodes then use', async () => {
    const cert = makeTestCertificate({ commonName: 'remote media' });
    const refused = await request(api.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', api.opsAuth)
      .send({ certificate: cert.certificatePem, privateKey: cert.privateKeyPem })
      .expect(400);
    expect(refused.body.statusMessage).toMatch(/remote crypto service/);
    await request(crypto.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', basicAuth('ops', 'ops-test-password'))
      .send({ certificate: cert.certificatePem, privateKey: cert.privateKeyPem, activate: true })
      .expect(200);
    expect(api.app.get(CryptoService, { strict: false })).toBeInstanceOf(RemoteCryptoService);
    const modules = api.app.get(ModuleRef);
    expect(() => modules.get(PrivateKeyVault, { strict: false })).toThrow();
    expect(() => modules.get(MasterKeyRing, { strict: false })).toThrow();
    expect(existsSync(join(api.config.dataDir, 'crypto', 'master.key'))).toBe(false);
    const ready = await request(api.url).get('/health/ready').expect(200);
    expect(ready.body.dependencies.crypto.status).toBe('up');
  });

  it('encrypts on the API node and plays back through the crypto service, authorised and audited there', async () => {
    const session = (await api.app.get(MediaEncryption, { strict: false }).begin(ccid))!;
    const plaintext = randomBytes(600_000);
    const ciphertext = await buffer(Readable.from([plaintext]).pipe(session.stream));
    const media = { ...session.result(), ciphertext };
    const reader = api.app.get(EncryptedMediaReader, { strict: false });

    audit.length = 0;
    const decryptable = await reader.prepare(decryptingUser(ccid), ccid, media, bufferSource(ciphertext), { resource: 'recording/r/m', clientAddress: '127.0.0.1' });
    expect((await buffer(await decryptable.open({ start: 1000, end: 299_999 }))).equals(plaintext.subarray(1000, 300_000))).toBe(true);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', ccid, resource: 'recording/r/m', actor: expect.objectContaining({ userName: 'player' }) })]);

    audit.length = 0;
    await expect(reader.prepare(decryptingUser(ccid, []), ccid, media, bufferSource(ciphertext))).rejects.toBeInstanceOf(DecryptNotPermittedException);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });

  it('refuses callers without the service credential', async () => {
    const body = { ccid, pkcs7: 'x', principal: { kind: 'service', userName: 'x', ccid, permissions: [] } };
    await request(crypto.url).post('/internal-api/crypto/unwrap').send(body).expect(401);
    await request(crypto.url).post('/internal-api/crypto/unwrap').set('Authorization', `Bearer ${'y'.repeat(44)}`).send(body).expect(401);
    await request(crypto.url).post('/internal-api/crypto/unwrap').set('Authorization', basicAuth('ops', 'ops-test-password')).send(body).expect(401);
  });

  it('answers 503 (retry) when the crypto service is down', async () => {
    const session = (await api.app.get(MediaEncryption, { strict: false }).begin(ccid))!;
    const ciphertext = await buffer(Readable.from([Buffer.from('x')]).pipe(session.stream));
    await crypto.close();
    const attempt = api.app.get(EncryptedMediaReader, { strict: false }).prepare(decryptingUser(ccid), ccid, session.result(), bufferSource(ciphertext));
    await expect(attempt).rejects.toBeInstanceOf(DependencyUnavailableException);
    const ready = await request(api.url).get('/health/ready').expect(503);
    expect(ready.body.dependencies.crypto.status).toBe('down');
  });
});
