import { api } from '../client';
import { ccPath } from './paths';

/** Which recordings a policy concerns (docs/lifecycle.md); only the criteria the console edits are typed. */
export interface RetentionMatch {
  partitions?: string[];
  labels?: string[];
  agentIds?: string[];
  callTypes?: string[];
  [criterion: string]: unknown;
}

export type RetentionAction = { type: 'delete'; afterDays: number } | { type: 'keep' };

export interface RetentionPolicy {
  id: string;
  name: string;
  enabled: boolean;
  match: RetentionMatch;
  action: RetentionAction;
  updatedAt: string;
}

export interface DryRun {
  asOf: string;
  dueNow: number;
  upcoming: { day: number; until: string; count: number }[];
  heldByLegalHold: number;
  keptByPolicy: number;
  recordings: { id: string; startTime?: string; dueAt?: string; callType?: string; agentIds?: string[] }[];
  nextPageToken?: string;
}

export interface PurgeRun {
  id: string;
  state: string;
  deleted: number;
  heldByLegalHold: number;
  keptByPolicy: number;
  startedAt: string;
  finishedAt?: string;
  lastError?: string;
}

const base = (ccid: string) => `${ccPath(ccid)}/retention-policies`;

export async function listPolicies(ccid: string): Promise<RetentionPolicy[]> {
  return (await api.get<{ policies: RetentionPolicy[] }>(base(ccid))).policies;
}

export async function createPolicy(ccid: string, policy: Omit<RetentionPolicy, 'id' | 'updatedAt'>): Promise<RetentionPolicy> {
  return (await api.post<{ policy: RetentionPolicy }>(base(ccid), policy)).policy;
}

export async function deletePolicy(ccid: string, id: string): Promise<void> {
  await api.delete(`${base(ccid)}/${encodeURIComponent(id)}`);
}

export function dryRun(ccid: string, id: string, days: number, pageToken?: string): Promise<DryRun> {
  return api.get<DryRun>(`${base(ccid)}/${encodeURIComponent(id)}/dry-run`, { days, limit: 20, pageToken });
}

export async function requestRun(ccid: string, id: string): Promise<void> {
  await api.post(`${base(ccid)}/${encodeURIComponent(id)}/runs`);
}

export async function listRuns(ccid: string, id: string): Promise<PurgeRun[]> {
  return (await api.get<{ runs: PurgeRun[] }>(`${base(ccid)}/${encodeURIComponent(id)}/runs`)).runs;
}
