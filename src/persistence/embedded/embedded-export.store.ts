import { Injectable } from '@nestjs/common';
import type { ExportItem, ExportJob } from '../../lifecycle/export/export-job';
import { ExportStore } from '../../lifecycle/export/export.store';
import { EmbeddedDatabase } from './embedded-database';
import { TargetCredentialSealer } from '../../lifecycle/export/target-credentials';

const JOBS = 'export_jobs';
const CANCELS = 'export_cancels';
const ITEMS = 'export_items';
const ITEMS_BY_STATE = 'export_items_by_state';
/** Sorts after every recording id (ids are printable ASCII). */
const END = '\u{10ffff}';

/** ExportStore on the embedded database: jobs as rows, items indexed by (job, state) in recording id order. */
@Injectable()
export class EmbeddedExportStore extends ExportStore {
  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly sealer: TargetCredentialSealer,
  ) {
    super();
    db.defineIndex({
      name: ITEMS_BY_STATE,
      collection: ITEMS,
      version: 1,
      entriesOf: (_key, row) => [{ term: `${row.ccid as string}/${row.jobId as string}/${(row.item as ExportItem).state}`, sort: (row.item as ExportItem).recordingId }],
    });
  }

  async putJob(job: ExportJob): Promise<void> {
    const { cancelRequested: _ignored, ...stored } = this.sealer.sealJob(job);
    await this.db.put(JOBS, `${job.ccid}/${job.id}`, { job: stored });
  }

  async getJob(ccid: string, id: string): Promise<ExportJob | undefined> {
    const row = this.db.get(JOBS, `${ccid}/${id}`);
    return row ? this.withCancel(row.job as ExportJob) : undefined;
  }

  async listJobs(ccid: string, limit: number): Promise<ExportJob[]> {
    return this.allJobs()
      .filter((j) => j.ccid === ccid)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }

  async listActiveJobs(): Promise<ExportJob[]> {
    return this.allJobs().filter((j) => j.state === 'queued' || j.state === 'running');
  }

  async setCancelRequested(ccid: string, id: string, requested: boolean): Promise<void> {
    if (requested) await this.db.put(CANCELS, `${ccid}/${id}`, { requested: true });
    else await this.db.delete(CANCELS, `${ccid}/${id}`);
  }

  async putItem(ccid: string, jobId: string, item: ExportItem): Promise<void> {
    await this.db.put(ITEMS, `${ccid}/${jobId}/${item.recordingId}`, { ccid, jobId, item });
  }

  async getItem(ccid: string, jobId: string, recordingId: string): Promise<ExportItem | undefined> {
    const row = this.db.get(ITEMS, `${ccid}/${jobId}/${recordingId}`);
    return row?.item as ExportItem | undefined;
  }

  async listItems(ccid: string, jobId: string, state: ExportItem['state'], limit: number, afterId?: string): Promise<ExportItem[]> {
    const from = afterId === undefined ? '' : `${afterId}\u0000`;
    return this.db
      .rangeAscending(ITEMS_BY_STATE, `${ccid}/${jobId}/${state}`, from, END, limit)
      .map((entry) => this.db.get(ITEMS, entry.key))
      .filter((row) => row !== undefined)
      .map((row) => row.item as ExportItem);
  }

  private allJobs(): ExportJob[] {
    return [...this.db.values(JOBS)].map((row) => this.withCancel(row.job as ExportJob));
  }

  private withCancel(job: ExportJob): ExportJob {
    const copy = this.sealer.openJob(job);
    if (this.db.get(CANCELS, `${job.ccid}/${job.id}`)) copy.cancelRequested = true;
    return copy;
  }
}
