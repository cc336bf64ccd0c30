import { Injectable } from '@nestjs/common';
import type { ExportItem, ExportJob } from '../../lifecycle/export/export-job';
import { ExportStore } from '../../lifecycle/export/export.store';
import { CassandraConnection } from './cassandra-connection';
import { TargetCredentialSealer } from '../../lifecycle/export/target-credentials';

const SCOPE = 'all';
/** Rows of an item partition read per page while listing one state. */
const ITEM_PAGE = 1000;

/** ExportStore on Cassandra (migration 013). */
@Injectable()
export class CassandraExportStore extends ExportStore {
  constructor(
    private readonly cql: CassandraConnection,
    private readonly sealer: TargetCredentialSealer,
  ) {
    super();
  }

  async putJob(job: ExportJob): Promise<void> {
    const { cancelRequested: _ignored, ...stored } = this.sealer.sealJob(job);
    await this.cql.execute('INSERT INTO export_jobs (ccid, id, doc) VALUES (?, ?, ?)', [job.ccid, job.id, JSON.stringify(stored)], { idempotent: true });
    if (job.state === 'queued' || job.state === 'running') {
      await this.cql.execute('INSERT INTO export_jobs_active (scope, ccid, id) VALUES (?, ?, ?)', [SCOPE, job.ccid, job.id], { idempotent: true });
    } else {
      await this.cql.execute('DELETE FROM export_jobs_active WHERE scope = ? AND ccid = ? AND id = ?', [SCOPE, job.ccid, job.id], { idempotent: true });
    }
  }

  async getJob(ccid: string, id: string): Promise<ExportJob | undefined> {
    const row = (await this.cql.execute('SELECT doc, cancel_requested FROM export_jobs WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true })).first();
    return row?.doc ? this.jobOf(row.doc as string, row.cancel_requested as boolean | null) : undefined;
  }

  async listJobs(ccid: string, limit: number): Promise<ExportJob[]> {
    const result = await this.cql.execute('SELECT doc, cancel_requested FROM export_jobs WHERE ccid = ? LIMIT ?', [ccid, limit], { idempotent: true });
    return result.rows.filter((r) => r.doc).map((r) => this.jobOf(r.doc as string, r.cancel_requested as boolean | null));
  }

  async listActiveJobs(): Promise<ExportJob[]> {
    const keys = await this.cql.execute('SELECT ccid, id FROM export_jobs_active WHERE scope = ?', [SCOPE], { idempotent: true, fetchSize: 5000 });
    const jobs = await Promise.all(keys.rows.map((r) => this.getJob(String(r.ccid), r.id as string)));
    return jobs.filter((j): j is ExportJob => j !== undefined && (j.state === 'queued' || j.state === 'running'));
  }

  async setCancelRequested(ccid: string, id: string, requested: boolean): Promise<void> {
    await this.cql.execute('UPDATE export_jobs SET cancel_requested = ? WHERE ccid = ? AND id = ?', [requested, ccid, id], { idempotent: true });
  }

  async putItem(ccid: string, jobId: string, item: ExportItem): Promise<void> {
    await this.cql.execute('INSERT INTO export_items (ccid, job_id, recording_id, state, item) VALUES (?, ?, ?, ?, ?)', [ccid, jobId, item.recordingId, item.state, JSON.stringify(item)], {
      idempotent: true,
    });
  }

  async getItem(ccid: string, jobId: string, recordingId: string): Promise<ExportItem | undefined> {
    const row = (await this.cql.execute('SELECT item FROM export_items WHERE ccid = ? AND job_id = ? AND recording_id = ?', [ccid, jobId, recordingId], { idempotent: true })).first();
    return row ? (JSON.parse(row.item as string) as ExportItem) : undefined;
  }

  /** Walks the job's partition in recording id order, keeping the rows in `state` (failures are few; a scan per listing page). */
  async listItems(ccid: string, jobId: string, state: ExportItem['state'], limit: number, afterId?: string): Promise<ExportItem[]> {
    const items: ExportItem[] = [];
    let pageState: string | undefined;
    do {
      const page =
        afterId === undefined
          ? await this.cql.execute('SELECT state, item FROM export_items WHERE ccid = ? AND job_id = ?', [ccid, jobId], { idempotent: true, fetchSize: ITEM_PAGE, pageState })
          : await this.cql.execute('SELECT state, item FROM export_items WHERE ccid = ? AND job_id = ? AND recording_id > ?', [ccid, jobId, afterId], {
              idempotent: true,
              fetchSize: ITEM_PAGE,
              pageState,
            });
      for (const row of page.rows) {
        if (row.state === state) items.push(JSON.parse(row.item as string) as ExportItem);
        if (items.length >= limit) return items;
      }
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return items;
  }

  private jobOf(doc: string, cancelRequested: boolean | null): ExportJob {
    const job = this.sealer.openJob(JSON.parse(doc) as ExportJob);
    if (cancelRequested) job.cancelRequested = true;
    return job;
  }
}
