import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { binaryBody as binary } from '../support/binary-body';
import { EmbeddedSimulator } from '../../tools/sipserver-sim/embedded-simulator';
import { RecorderClient } from '../../tools/recorder/recorder-client';
import { TusUploader } from '../../tools/recorder/tus-uploader';
import { runCommand } from '../../tools/sipserver-sim';
import { opensslCertificate } from '../support/crypto-fixtures';
import { createContactCenter, createUser, TestUser } from '../support/identity-fixtures';
import { createDesk, uniqueDn } from '../support/telephony-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';


/**
 * Screen recording follows voice, end to end on Cassandra and Apache WebDAV (reached through a proxy that
 * the test can cut): the SIP Server simulator records a call, the agent's recorder is told to start, pause,
 * resume and stop, uploads with tus, and the screen recording is stored encrypted, linked to the voice
 * recording by CallUUID, and plays back decrypted.
 */
describe('screen recording follows voice (simulator, Cassandra, WebDAV)', () => {
  let rws: TestApp;
  let webdavProxy: TcpProxy;
  let ccid: string;
  let agent: TestUser;
  let supervisor: TestUser;
  let processor: TestUser;
  let recorder: RecorderClient;
  let sim: Parameters<typeof runCommand>[0];
  const dn = uniqueDn();
  const work = mkdtempSync(join(tmpdir(), 'rws-screen-'));

  beforeAll(async () => {
    const webdavUrl = new URL(process.env.WEBDAV_URL!);
    webdavProxy = await TcpProxy.start({ host: webdavUrl.hostname, port: Number(webdavUrl.port) });
    const proxied = new URL(webdavUrl);
    proxied.port = String(webdavProxy.port);
    rws = await startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav', env: { WEBDAV_URL: proxied.href } }));
    ccid = await createContactCenter(rws);
    await request(rws.url).post(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).send({ uris: ['/api/api-voice-recording', '/api/api-supervisor-recording'] }).expect(200);
    agent = await createUser(rws, ccid, 'screen-agent', { roles: ['agent'], agentId: `a-${dn}`, agentHierarchy: '/EMEA/Sales/screen' });
    supervisor = await createUser(rws, ccid, 'screen-sup', { roles: ['supervisor'], accessGroups: ['/EMEA'], permissions: ['decrypt'] });
    processor = await createUser(rws, ccid, 'screen-rp', { kind: 'service' });
    const certificate = opensslCertificate('screen-recordings');
    await request(rws.url)
      .post(`/api/v2/ops/contact-centers/${ccid}/certificates`)
      .set('Authorization', rws.opsAuth)
      .send({ certificate: readFileSync(certificate.certPath, 'utf8'), privateKey: readFileSync(certificate.keyPath, 'utf8'), activate: true })
      .expect(200);
    sim = rws.app.get(EmbeddedSimulator).simulator!.sim;
    await createDesk(rws, ccid, dn);
    await runCommand(sim, 'dn', { number: dn, record: true });
    recorder = new RecorderClient({
      url: `${rws.url.replace(/^http/, 'ws')}/api/v2/screen-recording/connect`,
      authorization: agent.basic,
      hello: { clientVersion: '1.0.0', platform: 'test-os', hostname: 'agent-pc', place: `Place_${dn}`, devices: [{ dn }] },
      initialBackoffMs: 50,
    });
    await recorder.connect();
  }, 60_000);
  afterAll(async () => {
    await recorder?.close();
    await rws?.close();
    await webdavProxy?.close();
  });

  it('starts, pauses, resumes and stops with the call, then stores the upload encrypted, linked and playable', async () => {
    const call = (await runCommand(sim, 'call', { from: '+16175550100', to: dn })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn });
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;

    await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.basic).send({ operationName: 'PauseCallRecording' }).expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'paused' }));
    await request(rws.url).post(`/api/v2/me/calls/${call.callUuid}`).set('Authorization', agent.basic).send({ operationName: 'ResumeCallRecording' }).expect(200);
    await expectEventually(() => expect(recorder.recording).toMatchObject({ recordingId, state: 'recording' }));
    await runCommand(sim, 'release', { call: call.connId });
    await expectEventually(() => expect(recorder.recording).toBeNull());
    // The stop is recorded with the screen recording (its stop time is the call's release).
    await expectEventually(async () => {
      const stopped = await request(rws.url).get(`/internal-api/contact-centers/${ccid}/screen-recordings/${recordingId}`).set('Authorization', processor.basic).expect(200);
      expect(stopped.body.recording).toMatchObject({ state: 'stopped', stopTime: expect.any(String) });
    });

    // The recorder uploads; the connection drops at 30 % and 60 %, the upload resumes from the stored offset.
    const screen = randomBytes(5 * 1024 * 1024 + 99);
    const file = join(work, 'screen.mp4');
    writeFileSync(file, screen);
    const uploader = new TusUploader({ baseUrl: rws.url, authorization: agent.basic, chunkSize: 1024 * 1024, retryDelayMs: 50 });
    const upload = await uploader.create(file, recordingId);
    expect(await uploader.resume(upload, file, Math.floor(screen.length * 0.3))).toBeGreaterThanOrEqual(Math.floor(screen.length * 0.3));
    expect(await uploader.resume(upload, file, Math.floor(screen.length * 0.6))).toBeGreaterThanOrEqual(Math.floor(screen.length * 0.6));
    await uploader.resume(upload, file);

    // Stored encrypted: the internal API shows the pkcs7 envelope, and the stored bytes are not the plaintext.
    const internal = await request(rws.url).get(`/internal-api/contact-centers/${ccid}/screen-recordings/${recordingId}`).set('Authorization', processor.basic).expect(200);
    const media = internal.body.recording.mediaFiles[0];
    expect(internal.body.recording).toMatchObject({ callUuid: call.callUuid, state: 'stored' });
    expect(media.pkcs7).toMatch(/^-----BEGIN PKCS7-----/);
    const stored = await request(rws.url).get(new URL(media.mediaUri).pathname).set('Authorization', processor.basic).buffer(true).parse(binary).expect(200);
    expect((stored.body as Buffer).subarray(0, 4096).equals(screen.subarray(0, 4096))).toBe(false);

    // Linked to the voice recording of the same call.
    await request(rws.url)
      .post(`/internal-api/contact-centers/${ccid}/recordings`)
      .set('Authorization', processor.basic)
      .send({
        id: call.callUuid,
        region: 'region1',
        callerPhoneNumber: '+16175550100',
        dialedPhoneNumber: dn,
        eventHistory: [],
        mediaFiles: [{ mediaId: `callrec.${call.callUuid}.mp3`, type: 'audio/mp3', parameters: { agentId: `a-${dn}` }, accessgroups: ['/EMEA/Sales/screen'] }],
      })
      .expect(200);
    const voice = await request(rws.url).get(`/api/v2/recordings/${call.callUuid}`).set('Authorization', supervisor.basic).expect(200);
    expect(voice.body.recording.screenRecordings).toEqual([expect.objectContaining({ id: recordingId })]);

    // Plays back decrypted, whole and by range, for a supervisor with the decrypt permission.
    const playUri = new URL(voice.body.recording.screenRecordings[0].mediaUri).pathname;
    const whole = await request(rws.url).get(playUri).set('Authorization', supervisor.basic).buffer(true).parse(binary).expect(200);
    expect(createHash('sha256').update(whole.body as Buffer).digest('hex')).toBe(createHash('sha256').update(screen).digest('hex'));
    const part = await request(rws.url).get(playUri).set('Authorization', supervisor.basic).set('Range', 'bytes=1000000-1999999').buffer(true).parse(binary).expect(206);
    expect((part.body as Buffer).equals(screen.subarray(1_000_000, 2_000_000))).toBe(true);
  });

  it('never reports success for an upload WebDAV did not store, and completes once WebDAV is back', async () => {
    const call = (await runCommand(sim, 'call', { from: '+16175550101', to: dn })) as { connId: string; callUuid: string };
    await runCommand(sim, 'answer', { call: call.connId, dn });
    await expectEventually(() => expect(recorder.recording).toMatchObject({ callUuid: call.callUuid, state: 'recording' }));
    const recordingId = recorder.recording!.recordingId;
    await runCommand(sim, 'release', { call: call.connId });
    await expectEventually(() => expect(recorder.recording).toBeNull());

    const screen = randomBytes(2 * 1024 * 1024);
    const file = join(work, 'outage.mp4');
    writeFileSync(file, screen);
    const uploader = new TusUploader({ baseUrl: rws.url, authorization: agent.basic, chunkSize: 1024 * 1024, retries: 0 });
    const upload = await uploader.create(file, recordingId);
    await uploader.resume(upload, file, 1024 * 1024);
    await webdavProxy.cut();
    await expect(uploader.resume(upload, file)).rejects.toThrow(/HTTP 503/);
    expect(await uploader.offsetOf(upload)).toBe(1024 * 1024);
    const pending = await request(rws.url).get(`/internal-api/contact-centers/${ccid}/screen-recordings/${recordingId}`).set('Authorization', processor.basic).expect(200);
    expect(pending.body.recording.mediaFiles).toEqual([]);

    await webdavProxy.restore();
    await new TusUploader({ baseUrl: rws.url, authorization: agent.basic, retryDelayMs: 100 }).resume(upload, file);
    const stored = await request(rws.url).get(`/internal-api/contact-centers/${ccid}/screen-recordings/${recordingId}`).set('Authorization', processor.basic).expect(200);
    expect(stored.body.recording).toMatchObject({ state: 'stored', mediaFiles: [{ size: String(screen.length) }] });
  });
});
