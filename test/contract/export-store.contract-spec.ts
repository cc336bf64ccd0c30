import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { ExportItem, ExportJob } from '../../src/lifecycle/export/export-job';
import { ExportStore } from '../../src/lifecycle/export/export.store';
import { openPersistence } from '../support/persistence-harness';
import { RawLifecycleRows } from '../support/raw-lifecycle-rows';
import { METADATA_BACKENDS } from '../support/test-config';

function jobOf(ccid: string, createdAt: string, overrides: Partial<ExportJob> = {}): ExportJob {
  return {
    id: `${createdAt}-${randomUUID().slice(0, 8)}`,
    ccid,
    selection: { kind: 'search', filters: { partition: '/sales ✓' } },
    target: { type: 'webdav', url: 'http://127.0.0.1:1/exports/', username: 'u', password: 'p' },
    media: 'stored',
    verify: false,
    state: 'queued',
    createdBy: 'ops',
    asOfMs: Date.parse(createdAt),
    exported: 0,
    failed: 0,
    bytes: 0,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

function itemOf(recordingId: string, state: ExportItem['state'], reason?: string): ExportItem {
  return { recordingId, state, bytes: 3, media: state === 'done' ? [{ mediaFileId: 'm', name: `${recordingId}/m.mp3`, bytes: 3, sha256: 'ab' }] : [], ...(reason ? { reason } : {}), updatedAt: new Date().toISOString() };
}

describe.each(METADATA_BACKENDS)('ExportStore contract (%s)', (backend) => {
  let moduleRef: TestingModule;
  let store: ExportStore;
  let raw: RawLifecycleRows;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(ExportStore);
    raw = new RawLifecycleRows(moduleRef, backend);
  }, 120_000);
  afterAll(() => moduleRef?.close());

  it('stores jobs per contact center, newest first, and lists the active ones of every contact center', async () => {
    const ccid = randomUUID();
    const older = jobOf(ccid, '2026-05-01T00:00:00.000Z');
    const newer = jobOf(ccid, '2026-05-02T00:00:00.000Z', { state: 'running', after: { startMs: 1_700_000_000_000, id: 'CALL9' }, total: 7, exported: 2 });
    await store.putJob(older);
    await store.putJob(newer);
    await expect(store.getJob(ccid, newer.id)).resolves.toEqual(newer);
    await expect(store.getJob(randomUUID(), newer.id)).resolves.toBeUndefined();
    await expect(store.listJobs(ccid, 10)).resolves.toEqual([newer, older]);
    await expect(store.listJobs(ccid, 1)).resolves.toEqual([newer]);
    const active = (await store.listActiveJobs()).filter((j) => j.ccid === ccid);
    expect(active.map((j) => j.id).sort()).toEqual([older.id, newer.id].sort());

    const finished = { ...older, state: 'finished' as const, finishedAt: new Date().toISOString() };
    await store.putJob(finished);
    expect((await store.listActiveJobs()).filter((j) => j.ccid === ccid)).toEqual([newer]);
    await store.putJob({ ...newer, state: 'cancelled' });
  });

  it('keeps a cancel request apart from checkpoints: a later putJob does not clear it, only lifting it does', async () => {
    const ccid = randomUUID();
    const job = jobOf(ccid, '2026-05-03T00:00:00.000Z', { state: 'running' });
    await store.putJob(job);
    await store.setCancelRequested(ccid, job.id, true);
    await store.putJob({ ...job, exported: 5 });
    await expect(store.getJob(ccid, job.id)).resolves.toMatchObject({ exported: 5, cancelRequested: true });
    await store.setCancelRequested(ccid, job.id, false);
    const lifted = await store.getJob(ccid, job.id);
    expect(lifted?.cancelRequested).toBeUndefined();
    await store.putJob({ ...job, state: 'cancelled' });
  });

  it('keeps one record per recording of a job, replaced as its state changes, listed by state in id order', async () => {
    const ccid = randomUUID();
    const jobId = `2026-05-04T00:00:00.000Z-${randomUUID().slice(0, 8)}`;
    await store.putItem(ccid, jobId, itemOf('CALLB', 'pending'));
    await store.putItem(ccid, jobId, itemOf('CALLB', 'done'));
    await store.putItem(ccid, jobId, itemOf('CALLA', 'failed', 'media missing'));
    await store.putItem(ccid, jobId, itemOf('CALLC', 'failed', 'no key'));
    await store.putItem(ccid, jobId, itemOf('CALLD', 'done'));
    await store.putItem(ccid, 'other-job', itemOf('CALLE', 'failed', 'x'));
    await expect(store.getItem(ccid, jobId, 'CALLB')).resolves.toEqual(expect.objectContaining({ state: 'done', media: [expect.objectContaining({ sha256: 'ab' })] }));
    await expect(store.getItem(ccid, jobId, 'CALLZ')).resolves.toBeUndefined();
    expect((await store.listItems(ccid, jobId, 'failed', 10)).map((i) => [i.recordingId, i.reason])).toEqual([
      ['CALLA', 'media missing'],
      ['CALLC', 'no key'],
    ]);
    expect((await store.listItems(ccid, jobId, 'failed', 1, 'CALLA')).map((i) => i.recordingId)).toEqual(['CALLC']);
    expect((await store.listItems(ccid, jobId, 'done', 10)).map((i) => i.recordingId)).toEqual(['CALLB', 'CALLD']);
    await expect(store.listItems(ccid, jobId, 'pending', 10)).resolves.toEqual([]);
  });

  it('keeps the WebDAV password sealed at rest, reads rows of the first format (in clear) and seals them when next written', async () => {
    const ccid = randomUUID();
    const password = `pw-${randomUUID()}`;
    const target = { type: 'webdav' as const, url: 'http://127.0.0.1:1/exports/', username: 'exporter', password };
    const job = jobOf(ccid, '2026-05-03T00:00:00.000Z', { target });
    await store.putJob(job);
    const row = await raw.exportJob(ccid, job.id);
    expect(row).toContain('sealedPassword');
    expect(row).not.toContain(password);
    await expect(store.getJob(ccid, job.id)).resolves.toEqual(job);
    expect((await store.listJobs(ccid, 10))[0].target).toEqual(target);
    expect((await store.listActiveJobs()).find((j) => j.id === job.id)?.target).toEqual(target);

    // A row written before sealing: still read; sealed by the next checkpoint.
    const legacy = jobOf(ccid, '2026-05-04T00:00:00.000Z', { target });
    await raw.writeExportJob(legacy);
    expect(await raw.exportJob(ccid, legacy.id)).toContain(password);
    await expect(store.getJob(ccid, legacy.id)).resolves.toEqual(legacy);
    await store.putJob({ ...legacy, state: 'running' });
    expect(await raw.exportJob(ccid, legacy.id)).not.toContain(password);
    expect((await store.getJob(ccid, legacy.id))?.target).toEqual(target);

    // The seal is bound to its job: copied under another job's id it does not open.
    const copy = { ...(JSON.parse((await raw.exportJob(ccid, job.id))!) as { job?: ExportJob }) };
    const sealedJob = (copy.job ?? (copy as unknown as ExportJob)) as ExportJob;
    const thief = { ...sealedJob, id: `${sealedJob.id}-copy` };
    await raw.writeExportJob(thief);
    expect((await store.getJob(ccid, thief.id))?.target).not.toHaveProperty('password');
    await store.putJob({ ...legacy, state: 'cancelled' });
    await store.putJob({ ...job, state: 'cancelled' });
    await store.putJob({ ...(await store.getJob(ccid, thief.id))!, state: 'cancelled' });
  });
});
