import type { TestingModule } from '@nestjs/testing';
import { newExportJob, type ExportJob } from '../../src/lifecycle/export/export-job';
import type { PurgeRun, RetentionPolicy } from '../../src/lifecycle/retention-policy';
import { CassandraConnection } from '../../src/persistence/cassandra/cassandra-connection';
import { EmbeddedDatabase } from '../../src/persistence/embedded/embedded-database';
import type { MetadataBackend } from './test-config';

/** A queued WebDAV export job as a row holds it, for planting. */
export function queuedExportJob(ccid: string, fields: Pick<ExportJob, 'selection' | 'target' | 'verify'>): ExportJob {
  return newExportJob(ccid, { ...fields, media: 'stored' }, 'ops');
}

/**
 * The rows of the export and retention stores as they lie in the metadata store, read and written past the
 * adapters: to prove what is at rest (no password in clear) and to plant rows of an earlier format.
 */
export class RawLifecycleRows {
  constructor(
    private readonly moduleRef: Pick<TestingModule, 'get'>,
    private readonly backend: MetadataBackend,
  ) {}

  async exportJob(ccid: string, id: string): Promise<string | undefined> {
    if (this.backend === 'embedded') return text(this.db().get('export_jobs', `${ccid}/${id}`));
    return (await this.cql().execute('SELECT doc FROM export_jobs WHERE ccid = ? AND id = ?', [ccid, id], { idempotent: true })).first()?.doc as string | undefined;
  }

  /** Writes a job row as the first format did (the target exactly as given). */
  async writeExportJob(job: ExportJob): Promise<void> {
    if (this.backend === 'embedded') return this.db().put('export_jobs', `${job.ccid}/${job.id}`, { job });
    await this.cql().execute('INSERT INTO export_jobs (ccid, id, doc) VALUES (?, ?, ?)', [job.ccid, job.id, JSON.stringify(job)], { idempotent: true });
    if (job.state === 'queued' || job.state === 'running') await this.cql().execute('INSERT INTO export_jobs_active (scope, ccid, id) VALUES (?, ?, ?)', ['all', job.ccid, job.id], { idempotent: true });
  }

  async policy(ccid: string, id: string): Promise<string | undefined> {
    if (this.backend === 'embedded') return text(this.db().get('retention_policies', `${ccid}/${id}`));
    return (await this.cql().execute('SELECT doc FROM retention_policies WHERE scope = ? AND ccid = ? AND id = ?', ['all', ccid, id], { idempotent: true })).first()?.doc as string | undefined;
  }

  async writePolicy(policy: RetentionPolicy): Promise<void> {
    if (this.backend === 'embedded') return this.db().put('retention_policies', `${policy.ccid}/${policy.id}`, { policy });
    await this.cql().execute('INSERT INTO retention_policies (scope, ccid, id, created_at, doc) VALUES (?, ?, ?, ?, ?)', ['all', policy.ccid, policy.id, new Date(policy.createdAt), JSON.stringify(policy)], { idempotent: true });
  }

  async run(run: Pick<PurgeRun, 'ccid' | 'policyId' | 'id'>): Promise<string | undefined> {
    if (this.backend === 'embedded') return text(this.db().get('retention_runs', `${run.ccid}/${run.policyId}/${run.id}`));
    return (await this.cql().execute('SELECT doc FROM retention_runs WHERE ccid = ? AND policy_id = ? AND run_id = ?', [run.ccid, run.policyId, run.id], { idempotent: true })).first()?.doc as string | undefined;
  }

  async writeRun(run: PurgeRun): Promise<void> {
    if (this.backend === 'embedded') return this.db().put('retention_runs', `${run.ccid}/${run.policyId}/${run.id}`, { ccid: run.ccid, policyId: run.policyId, run });
    await this.cql().execute('INSERT INTO retention_runs (ccid, policy_id, run_id, doc) VALUES (?, ?, ?, ?)', [run.ccid, run.policyId, run.id, JSON.stringify(run)], { idempotent: true });
  }

  private db(): EmbeddedDatabase {
    return this.moduleRef.get(EmbeddedDatabase);
  }

  private cql(): CassandraConnection {
    return this.moduleRef.get(CassandraConnection);
  }
}

function text(row: unknown): string | undefined {
  return row === undefined ? undefined : JSON.stringify(row);
}
