import { api } from '../client';
import { ccPath } from './paths';

/** A certificate as the ops API shows it (never its private key). */
export interface Certificate {
  id: string;
  alias: string;
  status: 'inactive' | 'active' | 'retired' | 'deleted';
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  keyBits: number;
  hasPrivateKey: boolean;
  createdAt: string;
  activatedAt?: string;
  retiredAt?: string;
}

export interface CertificateUpload {
  certificate: string;
  privateKey?: string;
  passphrase?: string;
  alias?: string;
  activate?: boolean;
}

export async function listCertificates(ccid: string): Promise<Certificate[]> {
  return (await api.get<{ certificates: Certificate[] }>(`${ccPath(ccid)}/certificates`)).certificates;
}

export async function uploadCertificate(ccid: string, upload: CertificateUpload): Promise<Certificate> {
  return (await api.post<{ certificate: Certificate }>(`${ccPath(ccid)}/certificates`, upload)).certificate;
}

export async function operateOnCertificate(ccid: string, id: string, operationName: 'activate' | 'retire'): Promise<Certificate> {
  return (await api.post<{ certificate: Certificate }>(`${ccPath(ccid)}/certificates/${encodeURIComponent(id)}`, { operationName })).certificate;
}
