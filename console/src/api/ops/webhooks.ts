import { api } from '../client';
import { ccPath } from './paths';

/** The lifecycle events a subscription may ask for (docs/lifecycle.md, Webhooks). */
export const WEBHOOK_EVENTS = [
  'voiceRecording.stored',
  'screenRecording.stored',
  'legalHold.applied',
  'legalHold.removed',
  'recording.deleted',
  'recording.purged',
  'recording.erased',
] as const;

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  /** Only in the answer to its creation. */
  secret?: string;
}

export interface WebhookDelivery {
  id: string;
  type: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  createdAt: string;
  nextAttemptAt?: string;
  lastError?: string;
  lastStatus?: number;
}

const base = (ccid: string) => `${ccPath(ccid)}/webhooks`;

export async function listWebhooks(ccid: string): Promise<Webhook[]> {
  return (await api.get<{ webhooks: Webhook[] }>(base(ccid))).webhooks;
}

export async function createWebhook(ccid: string, url: string, events: string[]): Promise<Webhook> {
  return (await api.post<{ webhook: Webhook }>(base(ccid), { url, events })).webhook;
}

export async function deleteWebhook(ccid: string, id: string): Promise<void> {
  await api.delete(`${base(ccid)}/${encodeURIComponent(id)}`);
}

export async function listDeliveries(ccid: string, id: string, state?: string): Promise<WebhookDelivery[]> {
  return (await api.get<{ deliveries: WebhookDelivery[] }>(`${base(ccid)}/${encodeURIComponent(id)}/deliveries`, { state, limit: 50 })).deliveries;
}
