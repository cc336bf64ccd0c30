import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { splitAttachedEnvelope } from '../../src/crypto/cms/attached-envelope';
import { mediaFileIdFor } from '../../src/recordings/voice-recording';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { openssl, opensslCertificate } from '../support/crypto-fixtures';
import { Webhook } from 'standardwebhooks';
import type { WebDavClient } from '../../src/storage/webdav/webdav-client';
import { createUser } from '../support/identity-fixtures';
import { client, recordingDocument } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { queuedExportJob, RawLifecycleRows } from '../support/raw-lifecycle-rows';
import type { ExportJob } from '../../src/lifecycle/export/export-job';
import { freshTarget, inParallel, nodeStorageContactCenter, remoteSha256, SeededRecording, seedRecordings, sha256, tarMembers, webDavClient } from './export-fixtures';
import { WebhookReceiver } from './webhook-receiver';

type Job = { id: string; state: string; progress: { total: number; exported: number; failed: number; bytes: number; etaSeconds: number | null }; target: Record<string, unknown> };

/**
 * Export jobs through the ops API, on the embedded store with the node's filesystem storage as the source
 * and the shared Apache WebDAV as the target. The 1,000 recordings are seeded through the API: media bytes
 * written into the node's recording storage (as a media server writes them), documents posted as the
 * Recording Processor does.
 */
describe('export jobs', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  let thousand: SeededRecording[];
  const partition = `/export-${randomUUID().slice(0, 8)}`;
  const webdav: WebDavClient = webDavClient();
  const receiver = new WebhookReceiver();
  let secret = '';
  const base = () => `/api/v2/ops/contact-centers/${ccid}/exports`;

  beforeAll(async () => {
    app = await startTestApp(
      testConfig({
        env: {
          RWS_EXPORT_POLL_SECONDS: '0.2',
          // Fast, yet slow enough that a cancel lands mid-run (1,000 recordings take about 2.5 s).
          RWS_EXPORT_RECORDINGS_PER_SECOND: '400',
          RWS_RETENTION_INTERVAL_SECONDS: '0',
          RWS_WEBHOOK_ALLOW_PRIVATE: 'true',
          RWS_WEBHOOK_POLL_MS: '100',
          RWS_WEBHOOK_RETRY_BASE_MS: '50',
        },
      }),
    );
    http = client(app);
    ccid = await nodeStorageContactCenter(app);
    await receiver.start();
    const hook = await http.post(`/api/v2/ops/contact-centers/${ccid}/webhooks`, { url: receiver.url, events: ['export.finished'] });
    secret = (hook.body.webhook as { secret: string }).secret;
    thousand = await seedRecordings(app, ccid, { count: 1000, partition, concurrency: 16 });
  }, 120_000);
  afterAll(async () => {
    webdav.close();
    await receiver.stop();
    await app?.close();
  });

  async function finished(id: string, state = 'finished'): Promise<Job> {
    let job = {} as Job;
    await expectEventually(async () => {
      job = (await http.get(`${base()}/${id}`)).body.export as Job;
      expect(job.state).toBe(state);
    }, 60_000, 100);
    return job;
  }

  async function expectExported(folder: string, recordings: SeededRecording[]): Promise<void> {
    const wrong: string[] = [];
    await inParallel(recordings, 8, async (r) => {
      if ((await remoteSha256(webdav, `${folder}/${r.id}/${r.mediaFileId}.mp3`)) !== r.sha256) wrong.push(`${r.id} media`);
      const { stream } = await webdav.get(`${folder}/${r.id}/metadata.json`);
      const parts: Buffer[] = [];
      for await (const chunk of stream) parts.push(chunk as Buffer);
      if ((JSON.parse(Buffer.concat(parts).toString('utf8')) as { id: string }).id !== r.id) wrong.push(`${r.id} metadata`);
    });
    expect(wrong).toEqual([]);
  }

  it('exports 1,000 recordings into a WebDAV folder, complete and byte-exact, and tells the webhook subscriber', async () => {
    const { folder, target } = await freshTarget(webdav);
    const created = await http.post(base(), { filters: { partition }, target });
    expect(created.status).toBe(200);
    const id = (created.body.export as Job).id;
    expect(JSON.stringify(created.body)).not.toContain(target.password);

    const job = await finished(id);
    expect(job.progress).toMatchObject({ total: 1000, exported: 1000, failed: 0 });
    // Media plus each recording's metadata.json.
    expect(job.progress.bytes).toBeGreaterThan(thousand.reduce((s, r) => s + r.bytes, 0));
    expect(JSON.stringify(job)).not.toContain(target.password);
    await expectExported(folder, thousand);

    await expectEventually(() => expect(receiver.received.map((m) => JSON.parse(m.body) as { data: { exportId: string } }).some((e) => e.data.exportId === id)).toBe(true), 10_000);
    const message = receiver.received.find((m) => m.body.includes(id))!;
    expect(() => new Webhook(secret).verify(message.body, message.headers)).not.toThrow();
    expect(JSON.parse(message.body)).toMatchObject({ type: 'export.finished', data: { ccid, exportId: id, state: 'finished', exported: 1000, failed: 0 } });

    const audit = (await http.get(`/api/v2/ops/contact-centers/${ccid}/audit-log`)).body.entries as { action: string; objectId: string; detail?: string }[];
    const actions = audit.filter((e) => e.objectId === id).map((e) => e.action);
    expect(actions.sort()).toEqual(['exportCreate', 'exportFinish']);
    expect(JSON.stringify(audit)).not.toContain(target.password);
  });

  it('cancels a running job and resumes it: it finishes with every recording exported once', async () => {
    const { folder, target } = await freshTarget(webdav);
    const id = ((await http.post(base(), { filters: { partition }, target })).body.export as Job).id;
    await expectEventually(async () => expect(((await http.get(`${base()}/${id}`)).body.export as Job).progress.exported).toBeGreaterThanOrEqual(50), 30_000, 20);
    const cancel = await http.post(`${base()}/${id}/cancel`, {});
    expect(cancel.status).toBe(200);
    const cancelled = await finished(id, 'cancelled');
    expect(cancelled.progress.exported).toBeGreaterThan(0);
    expect(cancelled.progress.exported).toBeLessThan(1000);
    // Stays cancelled: nothing runs it.
    await new Promise((r) => setTimeout(r, 500));
    expect(((await http.get(`${base()}/${id}`)).body.export as Job).progress.exported).toBe(cancelled.progress.exported);

    expect((await http.post(`${base()}/${id}/resume`, {})).status).toBe(200);
    const done = await finished(id);
    // An export never overwrites: a recording written twice would have failed as "already exists".
    expect(done.progress).toMatchObject({ total: 1000, exported: 1000, failed: 0 });
    expect((await http.get(`${base()}/${id}/failures`)).body.failures).toEqual([]);
    await expectExported(folder, thousand);
    expect((await http.post(`${base()}/${id}/resume`, {})).status).toBe(409);
  });

  it('lists a recording whose media cannot be read as failed, with the reason, and exports the rest', async () => {
    const part = `/export-fail-${randomUUID().slice(0, 8)}`;
    const good = await seedRecordings(app, ccid, { count: 3, partition: part });
    const [missing] = await seedRecordings(app, ccid, { count: 1, partition: part, missingMedia: true });
    const { folder, target } = await freshTarget(webdav);
    const id = ((await http.post(base(), { filters: { partition: part }, target })).body.export as Job).id;
    const job = await finished(id);
    expect(job.progress).toMatchObject({ total: 4, exported: 3, failed: 1 });
    const failures = (await http.get(`${base()}/${id}/failures`)).body.failures as { recordingId: string; reason: string }[];
    expect(failures).toEqual([{ recordingId: missing.id, reason: expect.stringContaining('missing from recording storage'), at: expect.any(String) }]);
    await expectExported(folder, good);
    // Nothing of the failed recording was left in the target.
    expect(await webdav.head(`${folder}/${missing.id}/metadata.json`)).toBeUndefined();
  });

  it('stores the target password sealed, never in clear, and the job still authenticates with it; a job row of the first format runs too and is sealed', async () => {
    const part = `/export-sealed-${randomUUID().slice(0, 8)}`;
    const recordings = await seedRecordings(app, ccid, { count: 2, partition: part });
    const raw = new RawLifecycleRows(app.app, 'embedded');
    const { folder, target } = await freshTarget(webdav);
    const id = ((await http.post(base(), { filters: { partition: part }, target })).body.export as Job).id;
    expect(await raw.exportJob(ccid, id)).not.toContain(target.password);
    expect((await finished(id)).progress).toMatchObject({ total: 2, exported: 2, failed: 0 });
    await expectExported(folder, recordings);
    expect(await raw.exportJob(ccid, id)).not.toContain(target.password);

    // A queued job as the first format stored it (password in clear), planted in the running node's store.
    const legacyTarget = await freshTarget(webdav);
    const legacy = queuedExportJob(ccid, { selection: { kind: 'search', filters: { partition: part } }, target: legacyTarget.target as unknown as ExportJob['target'], verify: true });
    await raw.writeExportJob(legacy);
    expect(await raw.exportJob(ccid, legacy.id)).toContain(target.password);
    expect((await finished(legacy.id)).progress).toMatchObject({ total: 2, exported: 2, failed: 0 });
    await expectExported(legacyTarget.folder, recordings);
    expect(await raw.exportJob(ccid, legacy.id)).not.toContain(target.password);
  });

  it('streams a tar whose members match the recordings byte for byte, failures listed last', async () => {
    const part = `/export-tar-${randomUUID().slice(0, 8)}`;
    const good = await seedRecordings(app, ccid, { count: 25, partition: part });
    const [missing] = await seedRecordings(app, ccid, { count: 1, partition: part, missingMedia: true });
    const created = await http.post(base(), { filters: { partition: part }, target: { type: 'archive' } });
    expect(created.body.export).toMatchObject({ state: 'ready', target: { type: 'archive', format: 'tar' } });
    const id = (created.body.export as Job).id;
    const response = await fetch(`${app.url}${base()}/${id}/archive`, { headers: { authorization: app.opsAuth } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-tar');
    const members = await tarMembers(Buffer.from(await response.arrayBuffer()));
    const expected = good.flatMap((r) => [`${r.id}/${r.mediaFileId}.mp3`, `${r.id}/metadata.json`]).concat('failures.json');
    expect([...members.keys()].sort()).toEqual(expected.sort());
    for (const r of good) expect(members.get(`${r.id}/${r.mediaFileId}.mp3`)!.sha256).toBe(r.sha256);
    expect(JSON.parse(members.get('failures.json')!.text)).toEqual([{ recordingId: missing.id, reason: expect.stringContaining('missing') }]);
    expect(((await http.get(`${base()}/${id}`)).body.export as Job).progress).toMatchObject({ exported: 25, failed: 1 });
  });

  it('selects by a retention policy: what it matches (a delete policy: what is due at the job’s creation)', async () => {
    const part = `/export-policy-${randomUUID().slice(0, 8)}`;
    const old = await seedRecordings(app, ccid, { count: 3, partition: part, startMs: Date.now() - 10 * 86_400_000 });
    await seedRecordings(app, ccid, { count: 2, partition: part, startMs: Date.now() - 3_600_000 });
    const policies = `/api/v2/ops/contact-centers/${ccid}/retention-policies`;
    const policy = await http.post(policies, { name: 'old ones', enabled: false, match: { partitions: [part] }, action: { type: 'delete', afterDays: 7 } });
    const policyId = (policy.body.policy as { id: string }).id;
    const job = ((await http.post(base(), { policyId, target: { type: 'archive' } })).body.export as Job).id;
    const response = await fetch(`${app.url}${base()}/${job}/archive`, { headers: { authorization: app.opsAuth } });
    const members = await tarMembers(Buffer.from(await response.arrayBuffer()));
    expect([...members.keys()].filter((n) => n.endsWith('.mp3')).sort()).toEqual(old.map((r) => `${r.id}/${r.mediaFileId}.mp3`).sort());
    await http.delete(`${policies}/${policyId}`);
  });

  it('exports encrypted media as stored (ciphertext with its envelope) or decrypted (plaintext) for the ops account', async () => {
    // A media server's encrypted file: openssl cms for the contact center's certificate, split as RWS keeps it.
    const recipient = opensslCertificate('export-recipient');
    const uploaded = await http.post(`/api/v2/ops/contact-centers/${ccid}/certificates`, {
      certificate: readFileSync(recipient.certPath, 'utf8'),
      privateKey: readFileSync(recipient.keyPath, 'utf8'),
      activate: true,
    });
    expect(uploaded.status).toBe(200);
    const plain = randomBytes(50_000);
    writeFileSync(join(recipient.dir, 'plain.mp3'), plain);
    openssl('cms', '-encrypt', '-binary', '-aes256', '-in', join(recipient.dir, 'plain.mp3'), '-outform', 'DER', '-out', join(recipient.dir, 'enc.der'), '-recip', recipient.certPath);
    const { pkcs7, ciphertext } = splitAttachedEnvelope(readFileSync(join(recipient.dir, 'enc.der')));
    const id = `EXPENC${randomBytes(6).toString('hex').toUpperCase()}`;
    const key = `voice/${ccid}/${id}.bin`;
    await app.app.get(RecordingStorage).write(key, Readable.from([ciphertext]), { contentLength: ciphertext.length });
    const part = `/export-enc-${randomUUID().slice(0, 8)}`;
    const doc = recordingDocument({
      id,
      startTime: new Date().toISOString(),
      stopTime: new Date(Date.now() + 60_000).toISOString(),
      mediaFiles: [{ mediaId: `callrec.${id}.mp3`, type: 'audio/mp3', mediaDescriptor: { storage: 'webDAV', path: key }, pkcs7, partitions: [part], accessgroups: ['/'] }],
    });
    expect((await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc)).status).toBe(200);
    const mediaFileId = mediaFileIdFor(ccid, id, `callrec.${id}.mp3`);

    const download = async (media: string) => {
      const job = ((await http.post(base(), { filters: { partition: part }, target: { type: 'archive' }, media })).body.export as Job).id;
      const response = await fetch(`${app.url}${base()}/${job}/archive`, { headers: { authorization: app.opsAuth } });
      return tarMembers(Buffer.from(await response.arrayBuffer()));
    };
    const stored = await download('stored');
    expect(stored.get(`${id}/${mediaFileId}.bin`)?.sha256).toBe(sha256(ciphertext));
    expect(stored.get(`${id}/${mediaFileId}.pkcs7.pem`)?.text).toBe(pkcs7);
    const decrypted = await download('decrypted');
    expect(decrypted.get(`${id}/${mediaFileId}.mp3`)?.sha256).toBe(sha256(plain));
    const audit = (await http.get(`/api/v2/ops/contact-centers/${ccid}/audit-log?limit=1000`)).body.entries as { action: string; actor: string; detail?: string }[];
    expect(audit.some((e) => e.action === 'keyUnwrap' && e.actor === 'system:export')).toBe(true);
  });

  it('refuses bad jobs with a 400 naming the field, storing nothing and never echoing a password', async () => {
    const before = ((await http.get(base())).body.exports as unknown[]).length;
    const url = new URL('nowhere/', process.env.WEBDAV_URL).href;
    const bad: [unknown, string][] = [
      [{ target: { type: 'archive' } }, 'filters'],
      [{ filters: { partition }, policyId: randomUUID(), target: { type: 'archive' } }, 'filters'],
      [{ filters: { colour: 'red' }, target: { type: 'archive' } }, 'filter'],
      [{ filters: { partition }, target: { type: 'ftp' } }, 'target.type'],
      [{ filters: { partition }, target: { type: 'webdav', url: 'http://user:pw@127.0.0.1:1/x/' } }, 'target.url'],
      [{ filters: { partition }, target: { type: 'webdav', url, password: 12345 } }, 'target.password'],
      [{ filters: { partition }, target: { type: 'webdav', url, username: 'u', password: 'sekret-pw' } }, 'target'],
      [{ filters: { partition }, target: { type: 'archive' }, media: 'clear' }, 'media'],
    ];
    for (const [body, field] of bad) {
      const response = await http.post(base(), body);
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(String(response.body.statusMessage)).toContain(`'${field}'`);
      expect(JSON.stringify(response.body)).not.toContain('sekret-pw');
      expect(JSON.stringify(response.body)).not.toContain('12345');
    }
    expect((await http.post(base(), { policyId: randomUUID(), target: { type: 'archive' } })).status).toBe(404);
    expect(((await http.get(base())).body.exports as unknown[]).length).toBe(before);
  });

  it('is for the ops account only: users (even with decrypt) and service accounts get 403 and create nothing', async () => {
    const before = ((await http.get(base())).body.exports as { id: string }[]);
    const admin = await createUser(app, ccid, 'admin', { roles: ['admin', 'supervisor'], accessGroups: ['/'], permissions: ['decrypt', 'deleteRecordings'] });
    const service = await createUser(app, ccid, 'processor', { kind: 'service' });
    const archiveJob = ((await http.post(base(), { filters: { partition }, target: { type: 'archive' } })).body.export as Job).id;
    for (const who of [admin, service]) {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${app.url}${path}`, { method, headers: { authorization: who.basic, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect((await call('POST', base(), { filters: { partition }, target: { type: 'archive' }, media: 'decrypted' })).status).toBe(403);
      expect((await call('GET', base())).status).toBe(403);
      expect((await call('GET', `${base()}/${archiveJob}/archive`)).status).toBe(403);
      expect((await call('POST', `${base()}/${archiveJob}/cancel`, {})).status).toBe(403);
    }
    const after = ((await http.get(base())).body.exports as { id: string }[]);
    expect(after.map((j) => j.id).sort()).toEqual([...before.map((j) => j.id), archiveJob].sort());
    expect(((await http.get(`${base()}/${archiveJob}`)).body.export as Job).state).toBe('ready');
  });
});
