import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemRecordingStorage } from '../../src/storage/filesystem/filesystem-recording-storage';
import { client } from '../support/recording-fixtures';
import { expectEventually } from '../support/test-app';
import { freshTarget, nodeStorageContactCenter, remoteSha256, seedRecordings, webDavClient } from './export-fixtures';
import { NodeProcess } from './node-process';

const RECORDINGS = 60;

/**
 * An export job whose node is killed with SIGKILL half-way resumes on the next start from its per-item
 * records: every recording ends up in the target once and byte-exact, none is written twice (an export
 * never overwrites a finished object: a second write would fail the item as "already exists").
 */
describe('export job after a crash', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rws-export-crash-'));
  const node = new NodeProcess(dataDir, {
    RWS_RETENTION_INTERVAL_SECONDS: '0',
    RWS_RETENTION_LEASE_SECONDS: '2',
    RWS_EXPORT_POLL_SECONDS: '0.5',
    RWS_EXPORT_RECORDINGS_PER_SECOND: '15',
    // The export folder is on the loopback WebDAV.
    RWS_WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  const webdav = webDavClient();

  afterAll(async () => {
    webdav.close();
    await node.stop();
  });

  it('resumes without writing a recording twice or skipping one', async () => {
    let app = await node.start();
    let http = client(app);
    const ccid = await nodeStorageContactCenter(app);
    // The media server's side: media files in the node's storage folder; the documents through the API.
    const storage = new FilesystemRecordingStorage(join(dataDir, 'storage'));
    const seeded = await seedRecordings(app, ccid, { count: RECORDINGS, partition: '/crash', storage });
    const { folder, target } = await freshTarget(webdav);
    const exports = `/api/v2/ops/contact-centers/${ccid}/exports`;
    const id = ((await http.post(exports, { filters: { partition: '/crash' }, target })).body.export as { id: string }).id;

    let before: { state: string; progress: { exported: number } } = { state: '', progress: { exported: 0 } };
    await expectEventually(
      async () => {
        before = (await http.get(`${exports}/${id}`)).body.export as typeof before;
        expect(before.progress.exported).toBeGreaterThanOrEqual(10);
      },
      60_000,
      20,
    );
    await node.kill();
    expect(before.state).toBe('running');
    expect(before.progress.exported).toBeLessThan(RECORDINGS);

    app = await node.start();
    http = client(app);
    let job: { state: string; progress: Record<string, number> } = { state: '', progress: {} };
    await expectEventually(async () => {
      job = (await http.get(`${exports}/${id}`)).body.export as typeof job;
      expect(job.state).toBe('finished');
    }, 60_000);
    expect(job.progress).toMatchObject({ total: RECORDINGS, exported: RECORDINGS, failed: 0 });
    for (const r of seeded) expect(await remoteSha256(webdav, `${folder}/${r.id}/${r.mediaFileId}.mp3`)).toBe(r.sha256);
  }, 240_000);
});
