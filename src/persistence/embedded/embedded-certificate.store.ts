import { Injectable } from '@nestjs/common';
import { Certificate } from '../../crypto/certificates/certificate';
import { CertificateStore } from '../../crypto/certificates/certificate.store';
import type { SealedSecret } from '../../crypto/keys/master-key-ring';
import { EmbeddedDatabase } from './embedded-database';

const CERTIFICATES = 'crypto_certificates';
/** One row per contact center naming its active certificate: the single source of truth for "active". */
const ACTIVE = 'crypto_active_certificates';

/** CertificateStore on the embedded database. */
@Injectable()
export class EmbeddedCertificateStore extends CertificateStore {
  constructor(private readonly db: EmbeddedDatabase) {
    super();
  }

  create(certificate: Certificate): Promise<boolean> {
    return this.db.putIfAbsent(CERTIFICATES, keyOf(certificate.ccid, certificate.id), toRow(certificate));
  }

  async get(ccid: string, id: string): Promise<Certificate | undefined> {
    const row = this.db.get(CERTIFICATES, keyOf(ccid, id));
    return row ? this.withDerivedStatus(fromRow(row)) : undefined;
  }

  async list(ccid: string): Promise<Certificate[]> {
    return [...this.db.values(CERTIFICATES)]
      .filter((row) => row.ccid === ccid)
      .map((row) => this.withDerivedStatus(fromRow(row)))
      .sort(byCreation);
  }

  async listAll(): Promise<Certificate[]> {
    return [...this.db.values(CERTIFICATES)].map((row) => this.withDerivedStatus(fromRow(row))).sort(byCreation);
  }

  async activate(ccid: string, id: string, at: string): Promise<void> {
    const previous = this.activeIdOf(ccid);
    await this.db.put(ACTIVE, ccid, { id });
    await this.patch(ccid, id, { status: 'active', activatedAt: at });
    if (previous && previous !== id) await this.patch(ccid, previous, { status: 'retired', retiredAt: at });
  }

  async retire(ccid: string, id: string, at: string): Promise<void> {
    if (this.activeIdOf(ccid) === id) await this.db.delete(ACTIVE, ccid);
    await this.patch(ccid, id, { status: 'retired', retiredAt: at });
  }

  async markDeleted(ccid: string, id: string, at: string): Promise<void> {
    if (this.activeIdOf(ccid) === id) await this.db.delete(ACTIVE, ccid);
    await this.patch(ccid, id, { status: 'deleted', deletedAt: at, privateKey: undefined });
  }

  async replacePrivateKey(ccid: string, id: string, expected: SealedSecret, next: SealedSecret): Promise<boolean> {
    const row = this.db.get(CERTIFICATES, keyOf(ccid, id));
    const current = row?.privateKey as SealedSecret | undefined;
    if (!current || current.ciphertext !== expected.ciphertext || current.keyId !== expected.keyId) return false;
    await this.patch(ccid, id, { privateKey: next });
    return true;
  }

  private activeIdOf(ccid: string): string | undefined {
    return this.db.get(ACTIVE, ccid)?.id as string | undefined;
  }

  private async patch(ccid: string, id: string, changes: Partial<Certificate>): Promise<void> {
    const row = this.db.get(CERTIFICATES, keyOf(ccid, id));
    if (!row) return;
    await this.db.put(CERTIFICATES, keyOf(ccid, id), toRow({ ...fromRow(row), ...changes }));
  }

  /** A stored "active" that is not the pointer's (an interrupted switch) reads as retired. */
  private withDerivedStatus(certificate: Certificate): Certificate {
    const isActive = this.activeIdOf(certificate.ccid) === certificate.id;
    if (isActive) return { ...certificate, status: 'active' };
    return certificate.status === 'active' ? { ...certificate, status: 'retired' } : certificate;
  }
}

function keyOf(ccid: string, id: string): string {
  return `${ccid}/${id}`;
}

function toRow(certificate: Certificate): Record<string, unknown> {
  return { ...certificate };
}

/** Every read parses its row afresh: the caller owns it. */
function fromRow(row: Record<string, unknown>): Certificate {
  return row as unknown as Certificate;
}

function byCreation(a: Certificate, b: Certificate): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
