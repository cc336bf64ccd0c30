import { MasterKeyRing, SealedSecret } from '../../crypto/keys/master-key-ring';
import type { PurgeRun, RetentionPolicy } from '../retention-policy';
import type { ExportJob, WebDavTargetSpec } from './export-job';

/** A WebDAV target as stored: the password sealed; `password` in clear only in rows of the first format. */
type StoredTarget = WebDavTargetSpec & { sealedPassword?: SealedSecret };

/**
 * Seals the passwords of WebDAV export targets (export jobs, exportThenDelete policies and the policy copy
 * each purge run keeps) under the master key before they reach a metadata store, and opens them on read.
 * The binding names the owning record, so a sealed password copied into another job does not open.
 * Rows of the first format (password in clear) are still read, and sealed when next written.
 */
export class TargetCredentialSealer {
  constructor(private readonly ring: MasterKeyRing) {}

  sealJob(job: ExportJob): ExportJob {
    if (job.target.type !== 'webdav') return job;
    return { ...job, target: this.sealTarget(job.target, jobBinding(job.ccid, job.id)) };
  }

  openJob(job: ExportJob): ExportJob {
    if (job.target.type !== 'webdav') return job;
    return { ...job, target: this.openTarget(job.target, jobBinding(job.ccid, job.id)) };
  }

  sealPolicy(policy: RetentionPolicy): RetentionPolicy {
    if (policy.action.type !== 'exportThenDelete') return policy;
    return { ...policy, action: { ...policy.action, target: this.sealTarget(policy.action.target, policyBinding(policy)) } };
  }

  openPolicy(policy: RetentionPolicy): RetentionPolicy {
    if (policy.action.type !== 'exportThenDelete') return policy;
    return { ...policy, action: { ...policy.action, target: this.openTarget(policy.action.target, policyBinding(policy)) } };
  }

  sealRun(run: PurgeRun): PurgeRun {
    return { ...run, policy: this.sealPolicy(run.policy) };
  }

  openRun(run: PurgeRun): PurgeRun {
    return { ...run, policy: this.openPolicy(run.policy) };
  }

  private sealTarget(target: StoredTarget, binding: string): StoredTarget {
    const { password, sealedPassword, ...rest } = target;
    if (password !== undefined) return { ...rest, sealedPassword: this.ring.seal(Buffer.from(password, 'utf8'), binding) };
    // A password this node could not open stays sealed as it was (rewritten unchanged, never dropped).
    return sealedPassword ? { ...rest, sealedPassword } : rest;
  }

  private openTarget(target: StoredTarget, binding: string): StoredTarget {
    const { sealedPassword, ...rest } = target;
    if (!sealedPassword) return rest;
    try {
      return { ...rest, password: this.ring.open(sealedPassword, binding).toString('utf8') };
    } catch {
      // Sealed under a master key this node was not given: the target answers 401, and the job says so.
      return { ...rest, sealedPassword };
    }
  }
}

function jobBinding(ccid: string, id: string): string {
  return `export-job/${ccid}/${id}`;
}

function policyBinding(policy: Pick<RetentionPolicy, 'ccid' | 'id'>): string {
  return `retention-policy/${policy.ccid}/${policy.id}`;
}
