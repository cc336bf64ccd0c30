import { api } from '../client';
import { ccPath } from './paths';

export interface Dn {
  dn: string;
  switch: string;
  createdAt: string;
}

export interface Place {
  name: string;
  dns: string[];
  agents: string[];
  updatedAt: string;
}

export async function listDns(ccid: string): Promise<Dn[]> {
  return (await api.get<{ dns: Dn[] }>(`${ccPath(ccid)}/dns`)).dns;
}

export async function createDn(ccid: string, dn: string, switchName?: string): Promise<void> {
  await api.post(`${ccPath(ccid)}/dns`, { dn, switch: switchName || undefined });
}

export async function deleteDn(ccid: string, dn: string): Promise<void> {
  await api.delete(`${ccPath(ccid)}/dns/${encodeURIComponent(dn)}`);
}

export async function listPlaces(ccid: string): Promise<Place[]> {
  return (await api.get<{ places: Place[] }>(`${ccPath(ccid)}/places`)).places;
}

export async function createPlace(ccid: string, place: { name: string; dns: string[]; agents: string[] }): Promise<void> {
  await api.post(`${ccPath(ccid)}/places`, place);
}

export async function deletePlace(ccid: string, name: string): Promise<void> {
  await api.delete(`${ccPath(ccid)}/places/${encodeURIComponent(name)}`);
}
