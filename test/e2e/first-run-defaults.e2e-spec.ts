import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { uuidFromName } from '../../src/contact-centers/default-contact-center';
import { formatUploadMetadata } from '../../src/screen-recordings/uploads/tus-metadata';
import { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { binaryBody } from '../support/binary-body';
import { createIdentityFixture, createUser, IdentityFixture } from '../support/identity-fixtures';
import { createTusUpload, startScreenRecording, TUS } from '../support/screen-upload-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

const FEATURES = ['/api/api-voice-recording', '/api/api-supervisor-recording'];

/** The contract's example document (api.md §2), with `accessgroups: ["/"]`, pointing at `path`. */
function contractExample(id: string, path: string, agentId: string): Record<string, unknown> {
  return {
    id,
    region: 'region1',
    callerPhoneNumber: '+16172640431',
    dialedPhoneNumber: '+18489993333',
    startTime: '2026-12-01T18:42:41Z',
    stopTime: '2026-12-01T18:43:19Z',
    callType: 'Inbound',
    eventHistory: [{ occurredAt: '2026-12-01T18:42:41Z', calluuid: id, event: 'Joined', contact: { type: 'External', phoneNumber: '555001' } }],
    mediaFiles: [
      {
        mediaId: `callrec.${id}.mp3`,
        callUUID: id,
        type: 'audio/mp3',
        startTime: '2026-12-01T18:42:41Z',
        stopTime: '2026-12-01T18:43:19Z',
        duration: '38.376',
        size: '153504',
        tenant: 'Environment',
        ivrprofile: 'IVRAppDefault',
        parameters: { connId: '00710255fc5bacfe', agentId },
        mediaDescriptor: { storage: 'webDAV', path },
        accessgroups: ['/'],
        partitions: ['/support'],
        masks: [],
      },
    ],
  };
}

const callId = () => `01I6E87G24A6B45KKSC362${randomBytes(5).toString('hex').toUpperCase()}`;

/** Issue 19: what a newcomer meets on the defaults, proved through the HTTP API. */
describe('defaults that work on a first run (embedded metadata, filesystem storage)', () => {
  let rws: TestApp;
  let people: IdentityFixture;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    people = await createIdentityFixture(rws);
    await request(rws.url).post(`/api/v2/ops/contact-centers/${people.ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: FEATURES }).expect(200);
  });
  afterAll(() => rws.close());

  const insert = (ccid: string, auth: string, doc: Record<string, unknown>) => request(rws.url).post(`/internal-api/contact-centers/${ccid}/recordings`).set('Authorization', auth).send(doc);

  it('creates a contact center with its features in one call, and inserts are accepted at once', async () => {
    const created = await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'one call', features: FEATURES }).expect(200);
    expect(created.body.contactCenter.features).toEqual([...FEATURES].sort());
    const ccid = created.body.contactCenter.id as string;
    const processor = await createUser(rws, ccid, 'rp', { kind: 'service' });
    await insert(ccid, processor.basic, contractExample(callId(), 'voice/x.mp3', 'a-x')).expect(200);
  });

  it('refuses a malformed feature in the create body with the error envelope, creating nothing', async () => {
    const before = (await request(rws.url).get('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).expect(200)).body.uris.length;
    const res = await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'bad', features: ['voice'] }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 2 });
    expect((await request(rws.url).get('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).expect(200)).body.uris).toHaveLength(before);
  });

  it('applies an enabled feature to the very next insert (no cache delay)', async () => {
    const created = await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'later' }).expect(200);
    const ccid = created.body.contactCenter.id as string;
    const processor = await createUser(rws, ccid, 'rp', { kind: 'service' });
    const doc = contractExample(callId(), 'voice/y.mp3', 'a-y');
    await insert(ccid, processor.basic, doc).expect(403); // the refusal is now in the cache
    await request(rws.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: FEATURES }).expect(200);
    await insert(ccid, processor.basic, doc).expect(200);
  });

  it('plays voice media from the node storage with no settings/recordings, with Range', async () => {
    const id = callId();
    const audio = randomBytes(50_000);
    const folder = join(rws.config.dataDir, 'storage', 'voice');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${id}.mp3`), audio);
    await insert(people.ccid, people.processor.basic, contractExample(id, `voice/${id}.mp3`, 'a-alice')).expect(200);
    const got = await request(rws.url).get(`/api/v2/recordings/${id}`).set('Authorization', people.sue.basic).expect(200);
    const path = new URL(got.body.recording.mediaFiles[0].mediaUri).pathname;
    const whole = await request(rws.url).get(path).set('Authorization', people.sue.basic).buffer(true).parse(binaryBody).expect(200);
    expect(Buffer.compare(whole.body as Buffer, audio)).toBe(0);
    const part = await request(rws.url).get(path).set('Authorization', people.sue.basic).set('Range', 'bytes=100-199').buffer(true).parse(binaryBody).expect(206);
    expect(Buffer.compare(part.body as Buffer, audio.subarray(100, 200))).toBe(0);
  });

  it.each([
    ['screen media', () => `cc/${people.otherCcid}/screen/x/y.bin`],
    ['a release', () => 'releases/linux-x64/1.0.0/recorder.tgz'],
  ])("refuses a voice document naming RWS's own files in the node storage (%s)", async (_, path) => {
    const id = callId();
    const res = await insert(people.ccid, people.processor.basic, contractExample(id, path(), 'a-alice')).expect(400);
    expect(res.body).toEqual({ statusCode: 2, statusMessage: expect.stringMatching(/^Parameter 'mediaFiles\[0\]\.mediaDescriptor\.path' is invalid: names an object of RWS's own recording storage/) });
    await request(rws.url).get(`/api/v2/recordings/${id}`).set('Authorization', people.sue.basic).expect(404);
  });

  it("shows the contract's example (accessgroups [\"/\"]) to the supervisor of the recorded agent's hierarchy, not to others", async () => {
    const id = callId();
    await insert(people.ccid, people.processor.basic, contractExample(id, 'voice/none.mp3', 'a-alice')).expect(200);
    // sue supervises /EMEA/Sales, alice's hierarchy is /EMEA/Sales/alice (her user record): rule (b).
    await request(rws.url).get(`/api/v2/recordings/${id}`).set('Authorization', people.sue.basic).expect(200);
    const found = await request(rws.url).get('/api/v2/recordings').query({ callUuid: id }).set('Authorization', people.sue.basic).expect(200);
    expect(found.body.recordings.map((r: { id: string }) => r.id)).toEqual([id]);
    // sam supervises /APAC, pat /sales (the partition is /support): neither sees it.
    await request(rws.url).get(`/api/v2/recordings/${id}`).set('Authorization', people.sam.basic).expect(404);
    await request(rws.url).get(`/api/v2/recordings/${id}`).set('Authorization', people.pat.basic).expect(404);
    const hidden = await request(rws.url).get('/api/v2/recordings').query({ callUuid: id }).set('Authorization', people.sam.basic).expect(200);
    expect(hidden.body.recordings).toEqual([]);
  });

  it('gives a stored screen recording its duration: from the span of the recording, or as its recorder announced it', async () => {
    const file = randomBytes(2048);
    const startedAt = new Date(Date.now() - 30_000).toISOString();
    const spanned = await startScreenRecording(rws, people, { at: startedAt });
    const path = await createTusUpload(rws, people.alice.basic, spanned, file);
    await request(rws.url).patch(path).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', '0').set('Content-Type', 'application/offset+octet-stream').send(file).expect(204);
    const stored = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${spanned}`).set('Authorization', people.processor.basic).expect(200);
    const duration = Number(stored.body.recording.mediaFiles[0].duration);
    expect(duration).toBeGreaterThanOrEqual(30);
    expect(duration).toBeLessThan(600);

    const announced = await startScreenRecording(rws, people, { at: startedAt });
    const sha256 = createHash('sha256').update(file).digest('hex');
    const created = await request(rws.url)
      .post('/api/v2/screen-recordings/uploads')
      .set(TUS)
      .set('Authorization', people.alice.basic)
      .set('Upload-Length', String(file.length))
      .set('Upload-Metadata', formatUploadMetadata({ recordingId: announced, contentType: 'video/mp4', sha256, duration: '12.5' }))
      .expect(201);
    await request(rws.url).patch(new URL(created.headers.location).pathname).set(TUS).set('Authorization', people.alice.basic).set('Upload-Offset', '0').set('Content-Type', 'application/offset+octet-stream').send(file).expect(204);
    const second = await request(rws.url).get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${announced}`).set('Authorization', people.processor.basic).expect(200);
    expect(second.body.recording.mediaFiles[0].duration).toBe('12.5');
  });

  it('refuses an upload announcing a duration that is not a number of seconds', async () => {
    const file = randomBytes(100);
    const recordingId = await startScreenRecording(rws, people);
    const res = await request(rws.url)
      .post('/api/v2/screen-recordings/uploads')
      .set(TUS)
      .set('Authorization', people.alice.basic)
      .set('Upload-Length', String(file.length))
      .set('Upload-Metadata', formatUploadMetadata({ recordingId, sha256: createHash('sha256').update(file).digest('hex'), duration: '1h' }))
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 2 });
  });
});

describe('voice media in the node’s own WebDAV storage plays with no settings/recordings', () => {
  let rws: TestApp;
  let people: IdentityFixture;
  const webdav = new WebDavClient({ url: process.env.WEBDAV_URL ?? 'http://127.0.0.1:1/', username: process.env.WEBDAV_USERNAME, password: process.env.WEBDAV_PASSWORD });

  beforeAll(async () => {
    rws = await startTestApp(testConfig({ storage: 'webdav' }));
    people = await createIdentityFixture(rws);
    await request(rws.url).post(`/api/v2/ops/contact-centers/${people.ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: FEATURES }).expect(200);
  });
  afterAll(async () => {
    webdav.close();
    await rws.close();
  });

  it('reads a file the media server wrote under WEBDAV_URL, named by its absolute URL', async () => {
    const id = callId();
    const audio = randomBytes(20_000);
    const key = `voice-${randomUUID()}/${id}.mp3`;
    await webdav.put(key, Readable.from([audio]), { contentLength: audio.length });
    const absolute = new URL(key, webdav.baseUrl).href;
    await request(rws.url).post(`/internal-api/contact-centers/${people.ccid}/recordings`).set('Authorization', people.processor.basic).send(contractExample(id, absolute, 'a-alice')).expect(200);
    const got = await request(rws.url).get(`/api/v2/recordings/${id}`).set('Authorization', people.sue.basic).expect(200);
    const played = await request(rws.url).get(new URL(got.body.recording.mediaFiles[0].mediaUri).pathname).set('Authorization', people.sue.basic).buffer(true).parse(binaryBody).expect(200);
    expect(Buffer.compare(played.body as Buffer, audio)).toBe(0);
  });
});

describe('the initial contact center of RWS_INITIAL_CONTACT_CENTER (docker compose) on Cassandra', () => {
  it('exists with both recording features after the first start, once, also after a restart', async () => {
    const name = `compose ${randomUUID()}`;
    // A SIP Server address (nothing listens there): no built-in simulator, so no default DNs are handed to
    // this contact center in the keyspace every suite shares.
    const config = testConfig({ metadata: 'cassandra', env: { RWS_INITIAL_CONTACT_CENTER: name, SIPSERVER_ADDRESSES: '127.0.0.1:1' } });
    const first = await startTestApp(config);
    const second = await startTestApp(config).finally(() => first.close());
    try {
      const id = uuidFromName(name);
      const all = await request(second.url).get('/api/v2/ops/contact-centers').set('Authorization', second.opsAuth).expect(200);
      expect((all.body.uris as string[]).filter((uri) => uri.endsWith(`/${id}`))).toHaveLength(1);
      const cc = await request(second.url).get(`/api/v2/ops/contact-centers/${id}`).set('Authorization', second.opsAuth).expect(200);
      expect(cc.body.contactCenter).toMatchObject({ name, features: [...FEATURES].sort() });
    } finally {
      await second.close();
    }
  });
});
