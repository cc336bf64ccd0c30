/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are walked loosely, as the clients do */
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestUser } from '../support/identity-fixtures';
import { basicAuth, TestApp } from '../support/test-app';
import { CookieJar, DEPLOYMENTS, deploymentConfig, serviceContactCenter, startTestApp } from './compat-clients';
import { version as packageVersion } from '../../package.json';

/**
 * The Recording Processor's family of clients, driven exactly as compat.md §1–3 describes them: the bulk
 * uploader (Python requests, run east of UTC), the insert test script (Python httplib2: diagnostics first,
 * then a post without and with credentials, another region and another ccid in its body) and the Java
 * download client reading it back.
 */
describe.each(DEPLOYMENTS)('Recording Processor clients on the $name', (deployment) => {
  let rws: TestApp;
  let ccid: string;
  let service: TestUser;
  const callUuid = () => `01I6E87G24A6B45K${randomBytes(8).toString('hex').toUpperCase()}`;
  const insertUrl = () => `${rws.url}/internal-api/contact-centers/${ccid}/recordings`;
  const opsRecording = (app: TestApp, id: string) => fetch(`${app.url}/api/v2/ops/contact-centers/${ccid}/recordings/${id}`, { headers: { authorization: service.basic } });

  beforeAll(async () => {
    rws = await startTestApp(deploymentConfig(deployment));
    ({ ccid, service } = await serviceContactCenter(rws));
  }, 120_000);
  afterAll(() => rws?.close());

  it('bulk uploader: installs, then stores a recording whose stopTime lies hours before its startTime, as sent, searchable and flagged', async () => {
    const ops = { authorization: rws.opsAuth, 'content-type': 'application/json' };
    // Install steps, with Basic and Content-Type; the CSRF token and cookie from the first GET on the later ones.
    const tables = await fetch(`${rws.url}/api/v2/ops/contact-centers/${ccid}/recording-tables`, { headers: ops });
    expect(tables.status).toBe(200);
    const jar = new CookieJar();
    jar.keep(tables);
    const csrf = { [tables.headers.get('x-csrf-header') ?? 'X-CSRF-TOKEN']: tables.headers.get('x-csrf-token') ?? '' };
    const crcf = await fetch(`${rws.url}/api/v2/ops/contact-centers/${ccid}/recordings`, { method: 'POST', headers: { ...ops, ...csrf }, body: JSON.stringify({ operationName: 'createCRCF' }) });
    expect(crcf.status).toBe(200);
    const store = { store: [{ awsS3: { accessKey: 'AKIAEXAMPLE', secretKey: 'example-secret', bucketName: 'recordings-bucket' } }] };
    const settings = await fetch(`${rws.url}/api/v2/ops/contact-centers/${ccid}/settings/recordings`, { method: 'PUT', headers: { ...ops, ...csrf, cookie: jar.header() }, body: JSON.stringify(store) });
    expect(settings.status).toBe(200);

    // 1. GET /api/v2/me with Basic: keeps the cookies and the CSRF header.
    const me = await fetch(`${rws.url}/api/v2/me`, { headers: { authorization: service.basic } });
    expect(me.status).toBe(200);
    const session = new CookieJar();
    session.keep(me);
    expect(session.size).toBe(1);
    const token = { [me.headers.get('x-csrf-header')!]: me.headers.get('x-csrf-token')! };

    // 2–4. Its document: numbers without '+', strings for duration and size, stopTime computed through local time (UTC+5).
    const id = callUuid();
    const document = {
      id,
      ccid,
      region: 'region1',
      callerPhoneNumber: '16172640431',
      dialedPhoneNumber: '18489993333',
      eventHistory: [],
      mediaFiles: [
        {
          mediaId: `${id}.mp3`,
          type: 'audio/mp3',
          duration: '38.376',
          size: '153504',
          tenant: 'Environment',
          ivrprofile: 'IVRAppDefault',
          masks: [],
          partitions: [],
          accessgroups: [],
          startTime: '2026-11-20T18:42:41Z',
          stopTime: '2026-11-20T13:43:19Z',
          callUUID: id,
          parameters: { id, connId: '00710255fc5bacfe' },
          mediaDescriptor: { storage: 'awsS3', path: `${ccid}/${id}.mp3`, data: { bucket: 'recordings-bucket' } },
        },
      ],
    };
    const posted = await fetch(insertUrl(), { method: 'POST', headers: { authorization: service.basic, 'content-type': 'application/json', cookie: session.header(), ...token }, body: JSON.stringify(document) });
    expect(posted.status).toBe(200);

    const read = (await (await opsRecording(rws, id)).json()) as any;
    const media = read.recording.mediaFiles[0];
    expect(media).toMatchObject({ startTime: '2026-11-20T18:42:41.000+0000', stopTime: '2026-11-20T13:43:19.000+0000', duration: '38.376', size: '153504', stopBeforeStart: true });
    expect(media.mediaDescriptor).toEqual(document.mediaFiles[0].mediaDescriptor);
    expect(read.recording.stopBeforeStart).toBe(true);

    // Searchable by the normalised interval: a window that only touches the (earlier) stop finds it.
    const search = async (from: string, to: string) => {
      const res = await fetch(`${rws.url}/api/v2/ops/contact-centers/${ccid}/recordings?startTime=${from}&endTime=${to}`, { headers: { authorization: service.basic } });
      expect(res.status).toBe(200);
      return ((await res.json()) as any).recordings.map((r: { id: string }) => r.id);
    };
    expect(await search('2026-11-20T13:00:00Z', '2026-11-20T14:00:00Z')).toEqual([id]);
    expect(await search('2026-11-20T15:00:00Z', '2026-11-20T16:00:00Z')).toEqual([id]);
    expect(await search('2026-11-20T19:00:00Z', '2026-11-20T20:00:00Z')).toEqual([]);
  });

  it('insert test script: version without credentials, 401 challenge, then Basic; another ccid and region in the body are stored and served only by that region', async () => {
    // 1. GET diagnostics/version, no credentials.
    const version = await fetch(`${rws.url}/api/v2/diagnostics/version`, { headers: { 'Content-Type': 'application/json' } });
    expect(version.status).toBe(200);
    expect(version.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await version.json()).toEqual({ statusCode: 0, version: packageVersion });
    expect(version.headers.get('set-cookie')).toMatch(/^JSESSIONID=[^;]+; Path=\/; Max-Age=\d+; HttpOnly/);
    expect(version.headers.get('x-csrf-header')).toBe('X-CSRF-TOKEN');
    const csrfToken = version.headers.get('x-csrf-token')!;
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const jar = new CookieJar();
    jar.keep(version);

    // 2. POST with the cookie and CSRF header: first without credentials (401 + Basic challenge), then with Basic.
    const id = callUuid();
    const sentCcid = randomUUID();
    const document = {
      id,
      ccid: sentCcid,
      region: 'us',
      callerPhoneNumber: '+16172640431',
      dialedPhoneNumber: '+18489993333',
      startTime: '2026-11-21T10:00:00Z',
      stopTime: '2026-11-21T10:00:12.523Z',
      eventHistory: [{ occurredAt: '2026-11-21T10:00:00.000+0000', calluuid: id, event: 'Joined', contact: { type: 'Agent', agentId: 'agent7002' } }],
      mediaFiles: [
        { mediaId: `${id}-a.mp3`, callUUID: id, type: 'audio/mp3', startTime: '2026-11-21T10:00:00Z', stopTime: '2026-11-21T10:00:12.523Z', duration: '12523', parameters: { agentId: 'agent7001' } },
        { mediaId: `${id}-b.mp3`, callUUID: id, type: 'audio/mp3', startTime: '2026-11-21T10:00:00Z', stopTime: '2026-11-21T10:00:12.523Z', duration: '12523', parameters: { agentId: 'agent7002' } },
      ],
    };
    const headers = { 'Content-Type': 'application/json', cookie: jar.header(), 'X-CSRF-TOKEN': csrfToken };
    const anonymous = await fetch(insertUrl(), { method: 'POST', headers, body: JSON.stringify(document) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const withBasic = await fetch(insertUrl(), { method: 'POST', headers: { ...headers, authorization: service.basic }, body: JSON.stringify(document) });
    expect(withBasic.status).toBe(200);
    expect(await withBasic.json()).toEqual({ statusCode: 0 });

    // Region affinity on read: this node (region1) does not serve it.
    expect((await opsRecording(rws, id)).status).toBe(404);
    const hidden = await fetch(`${rws.url}/api/v2/ops/contact-centers/${ccid}/recordings?callUuid=${id}`, { headers: { authorization: service.basic } });
    expect(((await hidden.json()) as any).recordings).toEqual([]);

    // A node of region "us" over the same data serves it, with the path's contact center and the sent ccid kept.
    await rws.close();
    rws = await startTestApp(deploymentConfig(deployment, { RWS_REGION: 'us', RWS_DATA_DIR: rws.config.dataDir }));
    const served = await opsRecording(rws, id);
    expect(served.status).toBe(200);
    const body = (await served.json()) as any;
    expect(body.statusCode).toBe(0);
    expect(body.recording).toMatchObject({ id, ccid, postedCcid: sentCcid, region: 'us' });
    expect(body.recording).not.toHaveProperty('stopBeforeStart');

    // 3. The Java download client: picks the media of its agent; duration exactly as posted.
    const mine = body.recording.mediaFiles.filter((m: any) => m.parameters.agentId === 'agent7002');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ mediaId: `${id}-b.mp3`, duration: '12523', callUUID: id });
    expect(mine[0].mediaUri).toMatch(new RegExp(`^${rws.url}/api/v2/ops/contact-centers/${ccid}/recordings/${id}/play/`));
    const found = await fetch(`${rws.url}/api/v2/ops/contact-centers/${ccid}/recordings?callUuid=${id}`, { headers: { authorization: service.basic } });
    expect(((await found.json()) as any).recordings.map((r: any) => r.id)).toEqual([id]);
  });

  it('diagnostics/version keeps a signed-in session cookie and its token instead of replacing it', async () => {
    const me = await fetch(`${rws.url}/api/v2/me`, { headers: { authorization: basicAuth(service.userName, service.password) } });
    const jar = new CookieJar();
    jar.keep(me);
    const version = await fetch(`${rws.url}/api/v2/diagnostics/version`, { headers: { cookie: jar.header() } });
    expect(version.status).toBe(200);
    expect(version.headers.getSetCookie()).toEqual([]);
    expect(version.headers.get('x-csrf-token')).toBe(me.headers.get('x-csrf-token'));
    // The anonymous cookie of an earlier call is kept too, with the same token.
    const first = await fetch(`${rws.url}/api/v2/diagnostics/version`);
    const anonymous = new CookieJar();
    anonymous.keep(first);
    const again = await fetch(`${rws.url}/api/v2/diagnostics/version`, { headers: { cookie: anonymous.header() } });
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(again.headers.get('x-csrf-token')).toBe(first.headers.get('x-csrf-token'));
    // And it never authenticates: the same cookie alone on a protected GET is 401.
    expect((await fetch(`${rws.url}/api/v2/me`, { headers: { cookie: anonymous.header() } })).status).toBe(401);
  });
});
