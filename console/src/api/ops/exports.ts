import { api } from '../client';
import { ccPath } from './paths';

/** An export job as the API shows it (no credentials), with its progress (docs/lifecycle.md, Export jobs). */
export interface ExportJob {
  id: string;
  selection: { filters?: Record<string, string>; policyId?: string };
  target: { type: 'webdav'; url: string; username?: string } | { type: 'archive'; format: 'tar' };
  media: 'stored' | 'decrypted';
  verify: boolean;
  state: 'queued' | 'running' | 'cancelled' | 'finished' | 'ready';
  cancelRequested?: boolean;
  progress: { total: number | null; exported: number; failed: number; bytes: number; remaining: number | null; etaSeconds: number | null; bytesPerSecond: number | null };
  createdBy: string;
  createdAt: string;
  finishedAt?: string;
  lastError?: string;
}

export interface NewExport {
  filters?: Record<string, string>;
  policyId?: string;
  target: { type: 'webdav'; url: string; username?: string; password?: string } | { type: 'archive'; format: 'tar' };
  media: 'stored' | 'decrypted';
  verify: boolean;
}

const base = (ccid: string) => `${ccPath(ccid)}/exports`;

export async function listExports(ccid: string): Promise<ExportJob[]> {
  return (await api.get<{ exports: ExportJob[] }>(base(ccid))).exports;
}

export async function createExport(ccid: string, job: NewExport): Promise<ExportJob> {
  return (await api.post<{ export: ExportJob }>(base(ccid), job)).export;
}

export async function cancelExport(ccid: string, id: string): Promise<void> {
  await api.post(`${base(ccid)}/${encodeURIComponent(id)}/cancel`);
}

export async function resumeExport(ccid: string, id: string): Promise<void> {
  await api.post(`${base(ccid)}/${encodeURIComponent(id)}/resume`);
}

export async function exportFailures(ccid: string, id: string): Promise<{ recordingId: string; reason: string; at: string }[]> {
  return (await api.get<{ failures: { recordingId: string; reason: string; at: string }[] }>(`${base(ccid)}/${encodeURIComponent(id)}/failures`, { limit: 100 })).failures;
}

/** The archive's URL (a same-origin GET: the session cookie goes along, the browser saves the tar). */
export function archiveUrl(ccid: string, id: string): string {
  return `${base(ccid)}/${encodeURIComponent(id)}/archive`;
}
