import { api } from '../client';
import type { ContactCenter } from '../contact-centers';
import { ccPath } from './paths';

/** The feature URIs RWS knows (a contact center may carry others; they are shown as they are). */
export const KNOWN_FEATURES = ['/api/api-voice-recording', '/api/api-supervisor-recording'] as const;

export async function createContactCenter(name: string, features: string[]): Promise<ContactCenter> {
  return (await api.post<{ contactCenter: ContactCenter }>('/api/v2/ops/contact-centers', { name, features })).contactCenter;
}

/** Enables features (a set union: the API has no way to disable one). */
export async function enableFeatures(ccid: string, uris: string[]): Promise<void> {
  await api.post(`${ccPath(ccid)}/features`, { uris });
}
