import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { binaryBody as binary } from '../support/binary-body';
import { splitAttachedEnvelope } from '../../src/crypto/cms/attached-envelope';
import { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { openssl, opensslCertificate } from '../support/crypto-fixtures';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';


/**
 * What the real Recording Processor does, then what players do, against real Cassandra and Apache WebDAV:
 * the media server already wrote the files to WebDAV (one in clear, one encrypted by OpenSSL as media
 * servers do); the processor posts the metadata with the CSRF dance; players read and stream.
 */
describe('Recording Processor flow and playback on Cassandra + WebDAV', () => {
  let rws: TestApp;
  let ccid: string;
  let processor: TestUser;
  let player: TestUser;
  let listener: TestUser;
  const webdav = new WebDavClient({ url: requireEnv('WEBDAV_URL'), username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD });
  const audio = randomBytes(3 * 1024 * 1024 + 321);
  const secret = randomBytes(2 * 1024 * 1024 + 77);
  const callUuid = `01I6E87G24A6B45KKSC362${randomBytes(5).toString('hex').toUpperCase()}`;
  const folder = `voice-${randomUUID()}`;

  beforeAll(async () => {
    rws = await startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav' }));
    ccid = await createContactCenter(rws);
    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/features`)
      .set('Authorization', rws.opsAuth)
      .send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] })
      .expect(200);
    processor = await createUser(rws, ccid, 'rp', { kind: 'service' });
    player = await createUser(rws, ccid, 'player', { roles: ['supervisor'], accessGroups: ['/'], permissions: ['decrypt'] });
    listener = await createUser(rws, ccid, 'listener', { roles: ['supervisor'], accessGroups: ['/'] });
    await request(rws.url)
      .put(`/api/v2/ops/contact-centers/${ccid}/settings/recordings`)
      .set('Authorization', rws.opsAuth)
      .send({ store: [{ webDAV: { storagePath: webdav.baseUrl.href, username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD } }] })
      .expect(200);

    // The media server's side: a clear mp3, and a file encrypted for the contact center's certificate.
    await webdav.put(`${folder}/call.mp3`, Readable.from([audio]), { contentLength: audio.length });
    const recipient = opensslCertificate('media-server-recipient');
    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: readFileSync(recipient.certPath, 'utf8'), privateKey: readFileSync(recipient.keyPath, 'utf8'), activate: true })
      .expect(200);
    const plainPath = join(recipient.dir, 'secret.mp3');
    writeFileSync(plainPath, secret);
    const outPath = join(recipient.dir, 'secret.der');
    openssl('cms', '-encrypt', '-binary', '-aes256', '-in', plainPath, '-outform', 'DER', '-out', outPath, '-recip', recipient.certPath);
    const { pkcs7, ciphertext } = splitAttachedEnvelope(readFileSync(outPath));
    await webdav.put(`${folder}/secret.bin`, Readable.from([ciphertext]), { contentLength: ciphertext.length });
    encryptedPkcs7 = pkcs7;
  }, 60_000);
  afterAll(async () => {
    webdav.close();
    await rws.close();
  });

  let encryptedPkcs7 = '';
  const document = () => ({
    id: callUuid,
    region: 'region1',
    callerPhoneNumber: '+16172640431',
    dialedPhoneNumber: '+18489993333',
    callType: 'Inbound',
    startTime: '2026-11-20T18:42:41Z',
    stopTime: '2026-11-20T18:43:19.376+0000',
    eventHistory: [{ occurredAt: '2026-11-20T18:42:41.000+0000', calluuid: callUuid, event: 'Joined', contact: { type: 'External', phoneNumber: '555001' } }],
    mediaFiles: [
      {
        mediaId: `callrec.${callUuid}.mp3`,
        callUUID: callUuid,
        type: 'audio/mp3',
        startTime: '2026-11-20T18:42:41Z',
        stopTime: '2026-11-20T18:43:19Z',
        duration: '38.376',
        size: String(audio.length),
        parameters: { connId: '00710255fc5bacfe', agentId: 'a-1001', dnis: '+18489993333', ani: '+16172640431' },
        mediaDescriptor: { storage: 'webDAV', path: new URL(`${folder}/call.mp3`, webdav.baseUrl).href },
        accessgroups: ['/'],
        partitions: ['/sales'],
      },
      {
        mediaId: `callrec.${callUuid}.secret.mp3`,
        callUUID: callUuid,
        type: 'audio/mp3',
        duration: '12.5',
        size: String(secret.length),
        mediaDescriptor: { storage: 'webDAV', path: new URL(`${folder}/secret.bin`, webdav.baseUrl).href },
        pkcs7: encryptedPkcs7,
      },
    ],
    customerSegment: 'gold',
  });

  it('posts the document the way the Recording Processor does: GET /me with Basic, then POST with CSRF header and session cookie', async () => {
    const me = await request(rws.url).get('/api/v2/me').set('Authorization', processor.basic).expect(200);
    const headerName = me.headers['x-csrf-header'];
    const token = me.headers['x-csrf-token'];
    const cookie = (me.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('JSESSIONID='))!.split(';')[0];
    expect(headerName).toBe('X-CSRF-TOKEN');
    // Without the token the cookie session may not write.
    await request(rws.url).post(`/internal-api/contact-centers/${ccid}/recordings`).set('Cookie', cookie).send(document()).expect(403);
    const posted = await request(rws.url).post(`/internal-api/contact-centers/${ccid}/recordings`).set('Cookie', cookie).set(headerName, token).send(document());
    expect(posted.body).toEqual({ statusCode: 0 });
    // The processor retries: nothing is duplicated.
    await request(rws.url).post(`/internal-api/contact-centers/${ccid}/recordings`).set('Cookie', cookie).set(headerName, token).send(document()).expect(200);
  });

  it('returns the recording on the ops path with play URIs, and every mediaUri downloads the right bytes', async () => {
    const res = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/recordings/${callUuid}`).set('Authorization', processor.basic).expect(200);
    expect(res.body.statusCode).toBe(0);
    const recording = res.body.recording;
    expect(recording).toMatchObject({ id: callUuid, customerSegment: 'gold', startTime: '2026-11-20T18:42:41.000+0000' });
    expect(recording.mediaFiles).toHaveLength(2);
    const [clear, encrypted] = recording.mediaFiles;
    expect(clear).toMatchObject({ duration: '38.376', size: String(audio.length), originalMediaDescriptor: { storage: 'webDAV' } });
    expect(clear.playPath).toBe(`/ops/contact-centers/${ccid}/recordings/${callUuid}/play/${clear.mediaFileId}.mp3`);
    expect(clear.mediaUri).toBe(`${rws.url}/api/v2${clear.playPath}`);
    for (const [media, bytes] of [
      [clear, audio],
      [encrypted, secret],
    ] as const) {
      const body = await request(rws.url).get(new URL(media.mediaUri).pathname).set('Authorization', processor.basic).buffer(true).parse(binary).expect(200);
      expect(createHash('sha256').update(body.body as Buffer).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('serves 50 random ranges byte for byte (clear and decrypted), 416 past the end, 200 whole for several ranges', async () => {
    const res = await request(rws.url).get(`/api/v2/recordings/${callUuid}`).set('Authorization', player.basic).expect(200);
    for (const [media, bytes] of [
      [res.body.recording.mediaFiles[0], audio],
      [res.body.recording.mediaFiles[1], secret],
    ] as const) {
      const path = new URL(media.mediaUri).pathname;
      for (let i = 0; i < 50; i++) {
        const start = randomInt(bytes.length);
        const end = Math.min(bytes.length - 1, start + randomInt(200_000));
        const part = await request(rws.url).get(path).set('Authorization', player.basic).set('Range', `bytes=${start}-${end}`).buffer(true).parse(binary).expect(206);
        expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${bytes.length}`);
        expect(Buffer.compare(part.body as Buffer, bytes.subarray(start, end + 1))).toBe(0);
      }
      const past = await request(rws.url).get(path).set('Authorization', player.basic).set('Range', `bytes=${bytes.length}-`).expect(416);
      expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
      const multi = await request(rws.url).get(path).set('Authorization', player.basic).set('Range', 'bytes=0-9,100-199').buffer(true).parse(binary).expect(200);
      expect((multi.body as Buffer).length).toBe(bytes.length);
    }
  });

  it('refuses decrypted playback without the decrypt permission, but plays clear media', async () => {
    const res = await request(rws.url).get(`/api/v2/recordings/${callUuid}`).set('Authorization', listener.basic).expect(200);
    const [clear, encrypted] = res.body.recording.mediaFiles;
    await request(rws.url).get(new URL(clear.mediaUri).pathname).set('Authorization', listener.basic).set('Range', 'bytes=0-99').expect(206);
    const denied = await request(rws.url).get(new URL(encrypted.mediaUri).pathname).set('Authorization', listener.basic).expect(403);
    expect(denied.body.statusCode).toBe(3);
  });

  it('audits every play', async () => {
    const log = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/audit-log`).set('Authorization', rws.opsAuth).expect(200);
    const plays = (log.body.entries as { action: string; actor: string; outcome: string }[]).filter((e) => e.action === 'play');
    expect(plays.some((e) => e.actor === player.userName && e.outcome === 'success')).toBe(true);
  });
});

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through "npm test"`);
  return value;
}
