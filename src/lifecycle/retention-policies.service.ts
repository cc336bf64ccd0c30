import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { formatTimestamp } from '../common/rws-time';
import { ContactCentersService, isUuid } from '../contact-centers/contact-centers.service';
import { AuditLog } from '../identity/audit/audit-log.service';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../identity/principal';
import { factsOf } from '../recordings/recording-facts';
import type { SearchPosition } from '../recordings/recording-query';
import { isAfter } from '../recordings/recording-query';
import { RetentionPolicyNotFoundException } from './lifecycle.exception';
import { DAY_MS, dueAtMs, PolicyCandidates } from './policy-candidates';
import { isDeleting, PurgeRun, RetentionPolicy } from './retention-policy';
import { MAX_DRY_RUN_DAYS, parseRetentionPolicy, RetentionPolicyInput } from './retention-policy.validation';
import { privateTargetProblem } from './webhooks/webhook-target';
import { RetentionStore } from './retention.store';

/** Who changes policies and from where, for the audit log. */
export interface ChangeContext {
  actor: Principal;
  source?: string;
}

/** One recording a dry run lists. */
export interface DryRunItem {
  id: string;
  startTime?: string;
  stopTime?: string;
  /** When the policy acts on it (a delete policy: start + afterDays; a keep policy: now). */
  dueAt: string;
  callType?: string;
  agentIds: string[];
  partitions: string[];
  labels: string[];
}

/** What a policy would do, counted at `asOf` and for each of the next days, with one page of the recordings. */
export interface DryRunResult {
  asOf: string;
  /** Recordings it acts on now (a delete policy: deletes; a keep policy: keeps). */
  dueNow: number;
  /** Recordings becoming due on each of the next days (day 1 = the 24 h after asOf), not counting earlier ones. */
  upcoming: { day: number; until: string; count: number }[];
  /** Matched recordings that legal hold keeps (they are never deleted while it applies). */
  heldByLegalHold: number;
  /** Matched recordings that an enabled keep policy protects. */
  keptByPolicy: number;
  recordings: DryRunItem[];
  nextPageToken?: string;
}

interface DryRunQuery {
  days?: string;
  limit?: string;
  pageToken?: string;
}

/** Ops use cases of retention policies: create, read, replace, delete (audited) and the dry run. */
@Injectable()
export class RetentionPoliciesService {
  constructor(
    private readonly store: RetentionStore,
    private readonly contactCenters: ContactCentersService,
    private readonly candidates: PolicyCandidates,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(ctx: ChangeContext, ccidParam: string, body: unknown): Promise<RetentionPolicy> {
    const ccid = await this.ccidOf(ccidParam);
    const input = parseRetentionPolicy(body);
    await this.refusePrivateTarget(input);
    const now = new Date().toISOString();
    const policy: RetentionPolicy = { id: randomUUID(), ccid, ...input, createdAt: now, updatedAt: now };
    await this.store.putPolicy(policy);
    await this.record(ctx, ccid, 'retentionPolicyCreate', policy);
    return policy;
  }

  async list(ccidParam: string): Promise<RetentionPolicy[]> {
    return this.store.listPolicies(await this.ccidOf(ccidParam));
  }

  async get(ccidParam: string, id: string): Promise<RetentionPolicy> {
    const ccid = await this.ccidOf(ccidParam);
    const policy = isUuid(id) ? await this.store.getPolicy(ccid, id.toLowerCase()) : undefined;
    if (!policy) throw new RetentionPolicyNotFoundException(id);
    return policy;
  }

  async replace(ctx: ChangeContext, ccidParam: string, id: string, body: unknown): Promise<RetentionPolicy> {
    const current = await this.get(ccidParam, id);
    const input = parseRetentionPolicy(body);
    await this.refusePrivateTarget(input);
    const policy: RetentionPolicy = { ...current, ...input, updatedAt: new Date().toISOString() };
    await this.store.putPolicy(policy);
    await this.record(ctx, policy.ccid, 'retentionPolicyUpdate', policy);
    return policy;
  }

  async delete(ctx: ChangeContext, ccidParam: string, id: string): Promise<void> {
    const policy = await this.get(ccidParam, id);
    if (!(await this.store.deletePolicy(policy.ccid, policy.id))) throw new RetentionPolicyNotFoundException(id);
    await this.record(ctx, policy.ccid, 'retentionPolicyDelete', policy);
  }

  async runs(ccidParam: string, id: string, limit = 50): Promise<PurgeRun[]> {
    const policy = await this.get(ccidParam, id);
    return this.store.listRuns(policy.ccid, policy.id, limit);
  }

  /**
   * Walks what the policy matches now and in the next `days` days, counting per day, and lists one page
   * (result order) of the recordings it acts on within that horizon. Nothing is changed; the listing is audited.
   */
  async dryRun(ctx: ChangeContext, ccidParam: string, id: string, query: DryRunQuery): Promise<DryRunResult> {
    const policy = await this.get(ccidParam, id);
    const days = intParam('days', query.days, 0, 0, MAX_DRY_RUN_DAYS);
    const limit = intParam('limit', query.limit, 100, 1, 1000);
    const token = query.pageToken === undefined ? undefined : decodeToken(query.pageToken);
    const asOfMs = token?.asOfMs ?? Date.now();
    const keeps = isDeleting(policy) ? (await this.store.listPolicies(policy.ccid)).filter((p) => p.enabled && p.action.type === 'keep' && p.id !== policy.id) : [];
    const afterDays = isDeleting(policy) ? policy.action.afterDays : 0;
    const horizonMs = asOfMs + days * DAY_MS;
    const result: DryRunResult = {
      asOf: formatTimestamp(new Date(asOfMs).toISOString()),
      dueNow: 0,
      upcoming: Array.from({ length: days }, (_, i) => ({ day: i + 1, until: formatTimestamp(new Date(asOfMs + (i + 1) * DAY_MS).toISOString()), count: 0 })),
      heldByLegalHold: 0,
      keptByPolicy: 0,
      recordings: [],
    };
    let last: SearchPosition | undefined;
    for await (const candidate of this.candidates.walk(policy, keeps, horizonMs - afterDays * DAY_MS)) {
      if (candidate.verdict === 'legalHold' && isDeleting(policy)) {
        result.heldByLegalHold++;
        continue;
      }
      if (candidate.verdict === 'kept') {
        result.keptByPolicy++;
        continue;
      }
      const dueMs = isDeleting(policy) ? dueAtMs(candidate.doc, afterDays) : asOfMs;
      if (dueMs <= asOfMs) result.dueNow++;
      else result.upcoming[Math.min(days, Math.ceil((dueMs - asOfMs) / DAY_MS)) - 1].count++;
      if (!isAfter(candidate.position, token?.after)) continue;
      if (result.recordings.length < limit) {
        result.recordings.push(itemOf(candidate.doc, dueMs));
        last = candidate.position;
      } else if (!result.nextPageToken && last) {
        result.nextPageToken = encodeToken({ asOfMs, after: last });
      }
    }
    await this.audit.record({
      actor: ctx.actor,
      action: 'retentionDryRun',
      outcome: 'success',
      ccid: policy.ccid,
      objectType: 'retentionPolicy',
      objectId: policy.id,
      source: ctx.source,
      detail: `dueNow=${result.dueNow} days=${days} listed=${result.recordings.length}`,
    });
    return result;
  }

  /** An export folder on a private or loopback host is refused as webhook targets are (SSRF), unless allowed. */
  private async refusePrivateTarget(input: RetentionPolicyInput): Promise<void> {
    if (input.action.type !== 'exportThenDelete') return;
    const problem = await privateTargetProblem(input.action.target.url, this.config.webhooks.allowPrivate);
    if (problem) throw new InvalidParameterException('action.target.url', problem);
  }

  private async ccidOf(ccidParam: string): Promise<string> {
    return (await this.contactCenters.require(ccidParam)).id;
  }

  private async record(ctx: ChangeContext, ccid: string, action: 'retentionPolicyCreate' | 'retentionPolicyUpdate' | 'retentionPolicyDelete', policy: RetentionPolicy): Promise<void> {
    const what =
      policy.action.type === 'delete'
        ? `delete after ${policy.action.afterDays} days`
        : policy.action.type === 'exportThenDelete'
          ? `export to ${new URL(policy.action.target.url).origin} then delete after ${policy.action.afterDays} days`
          : 'keep';
    await this.audit.record({
      actor: ctx.actor,
      action,
      outcome: 'success',
      ccid,
      objectType: 'retentionPolicy',
      objectId: policy.id,
      source: ctx.source,
      detail: `${what}; enabled=${policy.enabled}; match=${JSON.stringify(policy.match)}`,
    });
  }
}

function itemOf(doc: import('../recordings/voice-recording').VoiceRecording, dueMs: number): DryRunItem {
  const facts = factsOf(doc);
  return {
    id: doc.id,
    startTime: doc.startTime,
    stopTime: doc.stopTime,
    dueAt: formatTimestamp(new Date(dueMs).toISOString()),
    callType: facts.callType,
    agentIds: facts.agentIds,
    partitions: facts.partitions,
    labels: facts.labels,
  };
}

function intParam(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidParameterException(name, `must be an integer from ${min} to ${max}`);
  return n;
}

/** The page token pins the dry run's instant, so later pages count and list against the same `asOf`. */
function encodeToken(token: { asOfMs: number; after: SearchPosition }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): { asOfMs: number; after: SearchPosition } {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { asOfMs?: unknown; after?: { startMs?: unknown; id?: unknown } };
    if (typeof t.asOfMs === 'number' && typeof t.after?.startMs === 'number' && typeof t.after.id === 'string') {
      return { asOfMs: t.asOfMs, after: { startMs: t.after.startMs, id: t.after.id } };
    }
  } catch {
    /* fall through */
  }
  throw new InvalidParameterException('pageToken', 'not a page token of this dry run');
}
