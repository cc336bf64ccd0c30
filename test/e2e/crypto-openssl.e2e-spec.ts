import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import request from 'supertest';
import { joinEnvelope, splitAttachedEnvelope } from '../../src/crypto/cms/attached-envelope';
import { readMediaEnvelope } from '../../src/crypto/cms/media-envelope';
import { MediaKeyUnavailableException } from '../../src/crypto/crypto.exception';
import { bufferSource } from '../../src/crypto/media/ciphertext-sources';
import { EncryptedMediaReader } from '../../src/crypto/media/encrypted-media-reader';
import { MediaEncryption } from '../../src/screen-recordings/media-encryption';
import { decryptingUser, openssl, opensslCertificate } from '../support/crypto-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

// Key generation and OpenSSL runs are slow on a loaded 2-core machine.
jest.setTimeout(60_000);

/** Interoperability with OpenSSL's CMS implementation, both ways (issue 5). */
describe('encrypted media and OpenSSL', () => {
  let rws: TestApp;
  let ccid: string;
  let reader: EncryptedMediaReader;
  const recipient = opensslCertificate('rws interop');
  const plaintext = randomBytes(3 * 1024 * 1024 + 1234);
  const plainPath = join(recipient.dir, 'plain.bin');

  beforeAll(async () => {
    writeFileSync(plainPath, plaintext);
    rws = await startTestApp(testConfig());
    const created = await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'interop' }).expect(200);
    ccid = created.body.contactCenter.id;
    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: readFileSync(recipient.certPath, 'utf8'), privateKey: readFileSync(recipient.keyPath, 'utf8'), activate: true })
      .expect(200);
    reader = rws.app.get(EncryptedMediaReader, { strict: false });
  });
  afterAll(() => rws.close());

  /** Encrypts `plaintext` as RWS stores media: the ciphertext (`<name>.bin`), its pkcs7 and integrity record. */
  async function encryptWithRws(): Promise<{ pkcs7: string; integrity: Record<string, unknown>; ciphertext: Buffer }> {
    const session = await rws.app.get(MediaEncryption, { strict: false }).begin(ccid);
    if (!session) throw new Error('the contact center has no active certificate');
    const ciphertext = await buffer(Readable.from([plaintext]).pipe(session.stream));
    return { ...session.result(), ciphertext };
  }

  it('writes a PKCS7 PEM envelope with RSA-OAEP (SHA-256) for the active certificate and AES-256-CBC', async () => {
    const { pkcs7 } = await encryptWithRws();
    expect(pkcs7).toMatch(/^-----BEGIN PKCS7-----\n/);
    const printed = openssl('cms', '-cmsout', '-print', '-inform', 'PEM', '-in', writeTemp('envelope.pem', pkcs7)).toString();
    expect(printed).toContain('rsaesOaep');
    expect(printed).toContain('sha256');
    expect(printed).toContain('aes-256-cbc');
    expect(printed).toContain('CN=rws interop');
    expect(printed).toMatch(/encryptedContent: <ABSENT>/);
  });

  it('produces media that `openssl cms -decrypt` decrypts, detached (-content) and joined', async () => {
    const { pkcs7, ciphertext } = await encryptWithRws();
    const envelopePath = writeTemp('rws.pem', pkcs7);
    const binPath = writeTemp('rws.bin', ciphertext);
    const detachedOut = join(recipient.dir, 'detached.out');
    openssl('cms', '-decrypt', '-binary', '-inform', 'PEM', '-in', envelopePath, '-content', binPath, '-inkey', recipient.keyPath, '-recip', recipient.certPath, '-out', detachedOut);
    expect(readFileSync(detachedOut).equals(plaintext)).toBe(true);

    const joinedPath = join(recipient.dir, 'joined.der');
    await pipeline(joinEnvelope(pkcs7, Readable.from([ciphertext.subarray(0, 1000), ciphertext.subarray(1000)]), ciphertext.length), createWriteStream(joinedPath));
    const joinedOut = join(recipient.dir, 'joined.out');
    openssl('cms', '-decrypt', '-binary', '-inform', 'DER', '-in', joinedPath, '-inkey', recipient.keyPath, '-out', joinedOut);
    expect(readFileSync(joinedOut).equals(plaintext)).toBe(true);
  });

  const opensslVariants: { name: string; options: string[]; transport: RegExp }[] = [
    { name: 'RSA-OAEP (SHA-1 defaults)', options: ['-keyopt', 'rsa_padding_mode:oaep'], transport: /rsaesOaep/ },
    { name: 'RSA-OAEP with SHA-256', options: ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256'], transport: /rsaesOaep/ },
    { name: 'PKCS#1 v1.5 (media servers)', options: [], transport: /rsaEncryption/ },
    { name: 'PKCS#1 v1.5, streamed BER', options: ['-stream'], transport: /rsaEncryption/ },
  ];
  for (const variant of opensslVariants) {
    it(`plays back what \`openssl cms -encrypt -aes256\` wrote with ${variant.name}, any range`, async () => {
      const outPath = join(recipient.dir, 'openssl.der');
      openssl('cms', '-encrypt', '-binary', '-aes256', '-in', plainPath, '-outform', 'DER', '-out', outPath, '-recip', recipient.certPath, ...variant.options);
      const { pkcs7, ciphertext } = splitAttachedEnvelope(readFileSync(outPath));
      const printed = openssl('cms', '-cmsout', '-print', '-inform', 'PEM', '-in', writeTemp('split.pem', pkcs7)).toString();
      expect(printed).toMatch(variant.transport);

      // Media-server files carry no integrity record: the legacy path (padding probe, no chunk tags).
      const media = await reader.prepare(decryptingUser(ccid), ccid, { pkcs7 }, bufferSource(ciphertext));
      expect(media.verified).toBe(false);
      expect(media.plaintextSize).toBe(plaintext.length);
      expect((await buffer(await media.open())).equals(plaintext)).toBe(true);
      for (let i = 0; i < 25; i++) {
        const start = randomInt(plaintext.length);
        const end = Math.min(plaintext.length - 1, start + randomInt(300_000));
        expect((await buffer(await media.open({ start, end }))).equals(plaintext.subarray(start, end + 1))).toBe(true);
      }
    });
  }

  it('refuses media encrypted by OpenSSL for a certificate the contact center does not know', async () => {
    const stranger = opensslCertificate('stranger');
    const outPath = join(stranger.dir, 'stranger.der');
    openssl('cms', '-encrypt', '-binary', '-aes256', '-in', plainPath, '-outform', 'DER', '-out', outPath, '-recip', stranger.certPath, '-keyopt', 'rsa_padding_mode:oaep');
    const { pkcs7, ciphertext } = splitAttachedEnvelope(readFileSync(outPath));
    expect(readMediaEnvelope(pkcs7).recipients).toHaveLength(1);
    const attempt = reader.prepare(decryptingUser(ccid), ccid, { pkcs7 }, bufferSource(ciphertext));
    await expect(attempt).rejects.toBeInstanceOf(MediaKeyUnavailableException);
    await expect(attempt).rejects.toThrow(/certificate unknown to contact center/);
  });

  function writeTemp(name: string, content: string | Buffer): string {
    const path = join(recipient.dir, name);
    writeFileSync(path, content);
    return path;
  }
});
