import { api } from './client';

export interface ContactCenter {
  id: string;
  name: string;
  features?: string[];
}

/** Every contact center (ops account only): the list answers URIs, each one is read for its name. */
export async function listContactCenters(): Promise<ContactCenter[]> {
  const { uris } = await api.get<{ uris: string[] }>('/api/v2/ops/contact-centers');
  const ids = uris.map((uri) => uri.slice(uri.lastIndexOf('/') + 1));
  return Promise.all(ids.map(async (id) => (await api.get<{ contactCenter: ContactCenter }>(`/api/v2/ops/contact-centers/${id}`)).contactCenter));
}
