import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import request from 'supertest';
import { DependencyUnavailableException } from '../../src/common/errors/rws.exception';
import { CERTIFICATE_LIST_TTL_MS } from '../../src/crypto/certificates/certificate-directory';
import { AuditLog, AuditEvent } from '../../src/identity/audit/audit-log.service';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { ScreenRecordingsService } from '../../src/screen-recordings/screen-recordings.service';
import { MediaEncryption } from '../../src/screen-recordings/media-encryption';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { binaryBody } from '../support/binary-body';
import { createIdentityFixture, createUser, IdentityFixture, TestUser } from '../support/identity-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { makeTestCertificate } from '../support/x509-factory';

// Key generation is slow on a loaded 2-core machine.
jest.setTimeout(60_000);

const MB = 1024 * 1024;

/**
 * Players reading encrypted screen recordings over HTTP on Cassandra + WebDAV: the steps after the metadata
 * read run concurrently (play audit, key unwrap, storage read), yet nothing is served before the play and
 * the unwrap are audited and the key is known; recently used certificates and keys are reused, never the
 * authorisation or the audit.
 */
describe('screen recording playback (encrypted, Range)', () => {
  const masterKey = randomBytes(32).toString('base64');
  const config = () => testConfig({ metadata: 'cassandra', storage: 'webdav', env: { RWS_MASTER_KEY: masterKey } });
  let rws: TestApp;
  let people: IdentityFixture;
  let listener: TestUser;
  let firstCertificate: string;
  const plaintext = randomBytes(3 * MB + 4321);

  beforeAll(async () => {
    rws = await startTestApp(config());
    people = await createIdentityFixture(rws);
    listener = await createUser(rws, people.ccid, 'listener', { roles: ['supervisor'], accessGroups: ['/EMEA/Sales'] });
    firstCertificate = await uploadCertificate(rws);
  });
  afterAll(() => rws.close());

  async function uploadCertificate(app: TestApp): Promise<string> {
    const cert = makeTestCertificate({ commonName: `screen playback ${randomBytes(3).toString('hex')}` });
    const res = await request(app.url)
      .post(`/api/v2/ops/contact-centers/${people.ccid}/certificates`)
      .set('Authorization', app.opsAuth)
      .send({ certificate: cert.certificatePem, privateKey: cert.privateKeyPem, activate: true })
      .expect(200);
    return res.body.certificate.id as string;
  }

  /** A stored screen recording of alice whose media is `bytes` encrypted for the active certificate; its play path. */
  async function encryptedRecording(bytes: Buffer): Promise<string> {
    const id = randomUUID();
    const at = new Date().toISOString();
    const recordings = rws.app.get(ScreenRecordingsService);
    await recordings.started({ recordingId: id, ccid: people.ccid, userName: people.alice.userName, agentHierarchy: '/EMEA/Sales/alice', callUuid: `CALL${id.slice(0, 8)}`, connId: '006c02462a161006', at });
    const session = (await rws.app.get(MediaEncryption, { strict: false }).begin(people.ccid))!;
    const ciphertext = await buffer(Readable.from([bytes]).pipe(session.stream));
    const key = `cc/${people.ccid}/screen/${id}.bin`;
    const stored = await rws.app.get(RecordingStorage).write(key, Readable.from([ciphertext]), { contentLength: ciphertext.length });
    const store = rws.app.get(ScreenRecordingStore);
    const { pkcs7, integrity } = session.result();
    await store.modify(people.ccid, id, (recording) => ({
      ...recording,
      state: 'stored',
      stopTime: at,
      mediaFiles: [
        { mediaId: 'screen.mp4', type: 'video/mp4', size: bytes.length, startTime: at, stopTime: at, sha256: createHash('sha256').update(bytes).digest('hex'), storageKey: stored.key, storagePath: stored.key, pkcs7, integrity },
      ],
    }));
    return `/api/v2/screen-recordings/${id}/play/screen.mp4`;
  }

  const get = (app: TestApp, path: string, user: TestUser, range?: string) => {
    const req = request(app.url).get(path).set('Authorization', user.basic);
    return (range ? req.set('Range', range) : req).buffer(true).parse(binaryBody);
  };

  async function auditOf(objectPart: string): Promise<{ action: string; outcome: string; objectId?: string }[]> {
    const log = await request(rws.url).get(`/api/v2/ops/contact-centers/${people.ccid}/audit-log?limit=1000`).set('Authorization', rws.opsAuth).expect(200);
    return (log.body.entries as { action: string; outcome: string; objectId?: string }[]).filter((e) => e.objectId?.includes(objectPart));
  }

  it('serves random ranges, the whole file and HEAD byte-exact; audits every play and every key unwrap, cached key or not', async () => {
    const path = await encryptedRecording(plaintext);
    const ranges = 20;
    for (let i = 0; i < ranges; i++) {
      const start = i === 0 ? plaintext.length - 100 : randomInt(plaintext.length);
      const end = Math.min(plaintext.length - 1, start + randomInt(700_000));
      const part = await get(rws, path, people.sue, `bytes=${start}-${end}`).expect(206);
      expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${plaintext.length}`);
      expect(Buffer.compare(part.body as Buffer, plaintext.subarray(start, end + 1))).toBe(0);
    }
    const whole = await get(rws, path, people.sue).expect(200);
    expect(Buffer.compare(whole.body as Buffer, plaintext)).toBe(0);
    const head = await request(rws.url).head(path).set('Authorization', people.sue.basic).expect(200);
    expect(head.headers['content-length']).toBe(String(plaintext.length));
    const past = await get(rws, path, people.sue, `bytes=${plaintext.length}-`).expect(416);
    expect(past.headers['content-range']).toBe(`bytes */${plaintext.length}`);

    const id = path.split('/')[4];
    const entries = await auditOf(id);
    const plays = ranges + 3;
    expect(entries.filter((e) => e.action === 'play' && e.outcome === 'success')).toHaveLength(plays);
    expect(entries.filter((e) => e.action === 'keyUnwrap' && e.outcome === 'success')).toHaveLength(plays);
  });

  it('refuses a caller without the decrypt permission before any byte, and audits the play and the refused unwrap', async () => {
    const path = await encryptedRecording(randomBytes(300_000));
    for (const range of ['bytes=1000-2000', undefined]) {
      const denied = await get(rws, path, listener, range).expect(403);
      expect(JSON.parse((denied.body as Buffer).toString())).toMatchObject({ statusCode: 3 });
    }
    await request(rws.url).head(path).set('Authorization', listener.basic).expect(403);
    const entries = await auditOf(path.split('/')[4]);
    expect(entries.filter((e) => e.action === 'keyUnwrap' && e.outcome === 'denied')).toHaveLength(3);
    expect(entries.filter((e) => e.action === 'play')).toHaveLength(3);
  });

  it('fails the play before any byte when its audit entry or the unwrap’s cannot be written', async () => {
    const path = await encryptedRecording(randomBytes(600_000));
    await get(rws, path, people.sue, 'bytes=0-99').expect(206);
    const log = rws.app.get(AuditLog);
    const original = log.record.bind(log);
    for (const failing of ['play', 'keyUnwrap']) {
      const spy = jest.spyOn(log, 'record').mockImplementation(async (event: AuditEvent) => {
        if (event.action === failing) throw new DependencyUnavailableException('Cassandra', new Error('audit store down'));
        return original(event);
      });
      try {
        for (const range of ['bytes=100-200000', undefined]) {
          const res = await get(rws, path, people.sue, range);
          expect(res.status).toBe(503);
          expect(res.headers['content-range']).toBeUndefined();
          expect(JSON.parse((res.body as Buffer).toString())).toMatchObject({ statusCode: expect.any(Number), statusMessage: expect.any(String) });
        }
      } finally {
        spy.mockRestore();
      }
    }
    await get(rws, path, people.sue, 'bytes=0-99').expect(206);
  });

  it('stops decrypting for a deleted certificate at once on the node that deleted it, within the directory’s reuse time on another', async () => {
    const path = await encryptedRecording(randomBytes(400_000));
    const other = await startTestApp(config());
    try {
      // Both nodes have played it: certificate lists and the file key are in their caches.
      await get(rws, path, people.sue, 'bytes=0-99').expect(206);
      await get(other, path, people.sue, 'bytes=0-99').expect(206);
      await uploadCertificate(rws); // the first one is retired: it still decrypts
      await get(rws, path, people.sue, 'bytes=0-99').expect(206);
      await request(rws.url).delete(`/api/v2/ops/contact-centers/${people.ccid}/certificates/${firstCertificate}`).set('Authorization', rws.opsAuth).expect(200);
      const deletedAt = Date.now();
      const here = await get(rws, path, people.sue, 'bytes=0-99').expect(409);
      expect(JSON.parse((here.body as Buffer).toString()).statusMessage).toMatch(new RegExp(`certificate \\[${firstCertificate}\\], which was deleted`));
      await expectEventually(async () => expect((await get(other, path, people.sue, 'bytes=0-99')).status).toBe(409), 10_000, 100);
      // Within the reuse time, plus slack for a loaded machine.
      expect(Date.now() - deletedAt).toBeLessThan(CERTIFICATE_LIST_TTL_MS + 3_000);
    } finally {
      await other.close();
    }
  });
});
