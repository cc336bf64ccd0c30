import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, openSync, readSync, writeSync, closeSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { CryptoAuditSink, KeyUnwrapAuditEvent } from '../../src/crypto/crypto-audit';
import { DecryptNotPermittedException, MediaDecryptionFailedException, MediaKeyUnavailableException } from '../../src/crypto/crypto.exception';
import { fileSource } from '../../src/crypto/media/ciphertext-sources';
import { EncryptedMediaReader } from '../../src/crypto/media/encrypted-media-reader';
import type { Principal } from '../../src/identity/principal';
import { MediaEncryption } from '../../src/screen-recordings/media-encryption';
import { decryptingUser } from '../support/crypto-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { makeTestCertificate } from '../support/x509-factory';

// Key generation and OpenSSL runs are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

const MB = 1024 * 1024;

/** Media RWS encrypts, read back by range through the crypto service: correctness, integrity, keys, permissions, audit. */
describe('encrypted media through the crypto service', () => {
  let rws: TestApp;
  let ccid: string;
  let reader: EncryptedMediaReader;
  let audit: KeyUnwrapAuditEvent[];
  const dir = mkdtempSync(join(tmpdir(), 'rws-media-'));

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    ccid = (await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'media' }).expect(200)).body.contactCenter.id;
    await uploadCertificate(true);
    reader = rws.app.get(EncryptedMediaReader, { strict: false });
    const sink = rws.app.get(CryptoAuditSink, { strict: false });
    audit = [];
    const original = sink.record.bind(sink);
    jest.spyOn(sink, 'record').mockImplementation(async (event) => {
      audit.push(event);
      return original(event);
    });
  });
  afterAll(() => rws.close());

  async function uploadCertificate(activate: boolean): Promise<string> {
    const cert = makeTestCertificate({ commonName: `media ${randomBytes(3).toString('hex')}` });
    const res = await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: cert.certificatePem, privateKey: cert.privateKeyPem, activate })
      .expect(200);
    return res.body.certificate.id;
  }

  /** Streams `source` through RWS's media encryption into `<dir>/<name>.bin`. */
  async function encryptToFile(name: string, source: Readable): Promise<{ path: string; pkcs7: string; integrity: Record<string, unknown> }> {
    const session = await rws.app.get(MediaEncryption, { strict: false }).begin(ccid);
    if (!session) throw new Error('no active certificate');
    const path = join(dir, `${name}.bin`);
    await pipeline(source, session.stream, createWriteStream(path));
    return { path, ...session.result() };
  }

  it('serves 100 random Range reads of an encrypted 64 MB file byte-exact, each verified by its chunk tags', async () => {
    const plaintext = randomBytes(64 * MB);
    const file = await encryptToFile('big', Readable.from(chunks(plaintext, MB)));
    expect(file.integrity).toMatchObject({ plaintextSize: 64 * MB, ciphertextSize: 64 * MB + 16 });
    const media = await reader.prepare(decryptingUser(ccid), ccid, file, fileSource(file.path), { resource: 'test/big' });
    expect(media).toMatchObject({ plaintextSize: 64 * MB, verified: true });
    for (let i = 0; i < 100; i++) {
      // Every tenth range runs to the end of the file (its final block and padding).
      const start = i % 10 === 0 ? 64 * MB - 1 - randomInt(4 * MB) : randomInt(64 * MB);
      const end = i % 10 === 0 ? 64 * MB - 1 : Math.min(64 * MB - 1, start + randomInt(i % 2 ? 64 : 3 * MB));
      const got = await buffer(await media.open({ start, end }));
      if (!got.equals(plaintext.subarray(start, end + 1))) throw new Error(`range ${start}-${end} differs from the plaintext`);
    }
    const whole = createHash('sha256');
    for await (const part of await media.open()) whole.update(part as Buffer);
    expect(whole.digest('hex')).toBe(createHash('sha256').update(plaintext).digest('hex'));
  }, 120_000);

  it('fails a tampered file with a clear error before any byte, and a range over the tampered chunk too', async () => {
    const plaintext = randomBytes(2 * MB);
    const file = await encryptToFile('tamper', Readable.from([plaintext]));
    const tampered = join(dir, 'tampered.bin');
    copyFileSync(file.path, tampered);
    flipByte(tampered, MB + 100);
    const media = await reader.prepare(decryptingUser(ccid), ccid, file, fileSource(tampered));
    await expect(media.open({ start: MB, end: MB + 500 })).rejects.toThrow(MediaDecryptionFailedException);
    await expect(media.open({ start: MB, end: MB + 500 })).rejects.toThrow(/integrity check/);
    // Ranges away from the altered chunk still serve correct bytes.
    expect((await buffer(await media.open({ start: 0, end: 1000 }))).equals(plaintext.subarray(0, 1001))).toBe(true);
    // A full read errors the stream when it reaches the altered chunk: the bytes before it are correct, none after.
    const received: Buffer[] = [];
    await expect(
      (async () => {
        for await (const part of await media.open()) received.push(part as Buffer);
      })(),
    ).rejects.toThrow(/integrity check/);
    const prefix = Buffer.concat(received);
    expect(prefix.length).toBeLessThan(MB + 100);
    expect(prefix.equals(plaintext.subarray(0, prefix.length))).toBe(true);
  });

  it('detects a wrong key (the pkcs7 of another file) and a truncated file', async () => {
    const a = await encryptToFile('a', Readable.from([randomBytes(700_000)]));
    const b = await encryptToFile('b', Readable.from([randomBytes(700_000)]));
    const swapped = await reader.prepare(decryptingUser(ccid), ccid, { pkcs7: b.pkcs7, integrity: a.integrity }, fileSource(a.path));
    await expect(swapped.open()).rejects.toThrow(/fails its integrity check/);
    // Without the integrity record, the wrong key is caught by the final padding before anything is served
    // (a wrong key passes that probe once in ~256 tries: retry with fresh files to keep the test deterministic).
    let caught = false;
    for (let i = 0; i < 3 && !caught; i++) {
      const other = await encryptToFile(`c${i}`, Readable.from([randomBytes(1000)]));
      caught = await reader.prepare(decryptingUser(ccid), ccid, { pkcs7: other.pkcs7 }, fileSource(a.path)).then(
        () => false,
        (err: unknown) => err instanceof MediaDecryptionFailedException,
      );
    }
    expect(caught).toBe(true);
    const truncated = join(dir, 'truncated.bin');
    await pipeline(createReadStream(a.path, { end: 600_000 - 1 }), createWriteStream(truncated));
    const media = await reader.prepare(decryptingUser(ccid), ccid, a, fileSource(truncated));
    await expect(media.open({ start: 650_000, end: 699_999 })).rejects.toThrow(/shorter than its metadata/);
  });

  it('keeps decrypting media of a retired certificate, and says so clearly once it is deleted', async () => {
    const before = await encryptToFile('retired', Readable.from([Buffer.from('recorded under the first certificate')]));
    const certificates = (await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/certificates`).set('Authorization', rws.opsAuth).expect(200)).body.certificates;
    const first = certificates.find((c: { status: string }) => c.status === 'active').id;
    await uploadCertificate(true);
    const list = (await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/certificates`).set('Authorization', rws.opsAuth).expect(200)).body.certificates;
    expect(list.find((c: { id: string }) => c.id === first).status).toBe('retired');

    const media = await reader.prepare(decryptingUser(ccid), ccid, before, fileSource(before.path));
    expect((await buffer(await media.open())).toString()).toBe('recorded under the first certificate');

    await request(rws.url).delete(`/api/v2/ops/contact-centers/${ccid}/certificates/${first}`).set('Authorization', rws.opsAuth).expect(200);
    const attempt = reader.prepare(decryptingUser(ccid), ccid, before, fileSource(before.path));
    await expect(attempt).rejects.toBeInstanceOf(MediaKeyUnavailableException);
    await expect(attempt).rejects.toThrow(new RegExp(`certificate \\[${first}\\], which was deleted`));
  });

  it('refuses and audits callers without the decrypt permission; audits every unwrap', async () => {
    const file = await encryptToFile('perm', Readable.from([Buffer.from('secret call')]));
    const denied: Principal[] = [
      decryptingUser(ccid, []),
      { ...decryptingUser(ccid), ccid: '00000000-0000-4000-8000-000000000000' },
      { kind: 'service', userName: 'rp', ccid: '00000000-0000-4000-8000-000000000000', roles: [], permissions: [], accessGroups: [] },
      { kind: 'ops', userName: 'ops', roles: ['admin'], permissions: [], accessGroups: ['/'] },
    ];
    for (const principal of denied) {
      audit.length = 0;
      await expect(reader.prepare(principal, ccid, file, fileSource(file.path), { resource: 'recording/r1/m1' })).rejects.toBeInstanceOf(DecryptNotPermittedException);
      expect(audit).toEqual([expect.objectContaining({ outcome: 'denied', ccid, resource: 'recording/r1/m1', actor: expect.objectContaining({ userName: principal.userName }) })]);
    }
    const allowed: Principal[] = [
      decryptingUser(ccid),
      { kind: 'service', userName: 'crypto-client', ccid, roles: [], permissions: [], accessGroups: [] },
      { kind: 'ops', userName: 'ops', roles: ['admin'], permissions: ['decrypt'], accessGroups: ['/'] },
    ];
    for (const principal of allowed) {
      audit.length = 0;
      const media = await reader.prepare(principal, ccid, file, fileSource(file.path), { resource: 'recording/r1/m1', clientAddress: '127.0.0.1' });
      expect((await buffer(await media.open())).toString()).toBe('secret call');
      expect(audit).toEqual([expect.objectContaining({ outcome: 'success', certificateId: expect.any(String), clientAddress: '127.0.0.1' })]);
    }
    audit.length = 0;
    await expect(reader.prepare(decryptingUser(ccid), ccid, { pkcs7: 'garbage' }, fileSource(file.path))).rejects.toThrow(/pkcs7 envelope cannot be read/);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'failed', reason: expect.stringMatching(/cannot be read/) })]);
    expect(JSON.stringify(audit)).not.toMatch(/contentKey|PRIVATE KEY|"iv"/);
    // The records are in the contact center's audit log.
    const log = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/audit-log`).set('Authorization', rws.opsAuth).expect(200);
    const unwraps = log.body.entries.filter((e: { action: string }) => e.action === 'keyUnwrap');
    expect(unwraps).toEqual(expect.arrayContaining([
      expect.objectContaining({ outcome: 'denied', actor: 'player', objectType: 'media', objectId: 'recording/r1/m1' }),
      expect.objectContaining({ outcome: 'success', actor: 'crypto-client', source: '127.0.0.1' }),
      expect.objectContaining({ outcome: 'failed', detail: expect.stringMatching(/cannot be read/) }),
    ]));
  });
});

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, offset);
    byte[0] ^= 0x40;
    writeSync(fd, byte, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}
