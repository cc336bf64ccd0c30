import { Injectable } from '@nestjs/common';
import { types } from 'cassandra-driver';
import { Certificate, CertificateStatus } from '../../crypto/certificates/certificate';
import { CertificateStore } from '../../crypto/certificates/certificate.store';
import type { SealedSecret } from '../../crypto/keys/master-key-ring';
import { CassandraConnection } from './cassandra-connection';

const COLUMNS =
  'ccid, id, active_id, alias, status, certificate_pem, subject, issuer, serial_number, fingerprint256, not_before, not_after, key_bits, private_key, created_at, activated_at, retired_at, deleted_at';

/** CertificateStore on Cassandra: one partition per contact center, the active pointer a static column. */
@Injectable()
export class CassandraCertificateStore extends CertificateStore {
  constructor(private readonly cql: CassandraConnection) {
    super();
  }

  async create(c: Certificate): Promise<boolean> {
    const result = await this.cql.execute(
      `INSERT INTO crypto_certificates (ccid, id, alias, status, certificate_pem, subject, issuer, serial_number, fingerprint256, not_before, not_after, key_bits, private_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      [
        c.ccid,
        c.id,
        c.alias,
        c.status,
        c.certificatePem,
        c.subject,
        c.issuer,
        c.serialNumber,
        c.fingerprint256,
        new Date(c.notBefore),
        new Date(c.notAfter),
        c.keyBits,
        c.privateKey ? JSON.stringify(c.privateKey) : null,
        new Date(c.createdAt),
      ],
      { idempotent: false },
    );
    return result.wasApplied();
  }

  async get(ccid: string, id: string): Promise<Certificate | undefined> {
    const result = await this.cql.execute(`SELECT ${COLUMNS} FROM crypto_certificates WHERE ccid = ? AND id = ?`, [ccid, id], { idempotent: true });
    const row = result.first();
    return row && row.id ? toCertificate(row) : undefined;
  }

  async list(ccid: string): Promise<Certificate[]> {
    const result = await this.cql.execute(`SELECT ${COLUMNS} FROM crypto_certificates WHERE ccid = ?`, [ccid], { idempotent: true, fetchSize: 1000 });
    return result.rows.filter((row) => row.id).map(toCertificate).sort(byCreation);
  }

  async listAll(): Promise<Certificate[]> {
    const out: Certificate[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.cql.execute(`SELECT ${COLUMNS} FROM crypto_certificates`, [], { idempotent: true, fetchSize: 500, pageState });
      out.push(...page.rows.filter((row) => row.id).map(toCertificate));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return out.sort(byCreation);
  }

  async activate(ccid: string, id: string, at: string): Promise<void> {
    const previous = (await this.list(ccid)).find((c) => c.status === 'active' && c.id !== id);
    const statements = [
      { query: 'UPDATE crypto_certificates SET active_id = ? WHERE ccid = ?', params: [id, ccid] },
      { query: 'UPDATE crypto_certificates SET status = ?, activated_at = ? WHERE ccid = ? AND id = ?', params: ['active', new Date(at), ccid, id] },
    ];
    if (previous) {
      statements.push({ query: 'UPDATE crypto_certificates SET status = ?, retired_at = ? WHERE ccid = ? AND id = ?', params: ['retired', new Date(at), ccid, previous.id] });
    }
    await this.cql.batch(statements, { idempotent: true });
  }

  async retire(ccid: string, id: string, at: string): Promise<void> {
    await this.cql.execute('UPDATE crypto_certificates SET status = ?, retired_at = ? WHERE ccid = ? AND id = ?', ['retired', new Date(at), ccid, id], { idempotent: true });
    // Clear the pointer only if it still names this certificate (a concurrent activation may have moved it).
    await this.cql.execute('UPDATE crypto_certificates SET active_id = null WHERE ccid = ? IF active_id = ?', [ccid, id], { idempotent: false });
  }

  async markDeleted(ccid: string, id: string, at: string): Promise<void> {
    // A lightweight transaction like replacePrivateKey's, so a concurrent re-wrap cannot bring the key back.
    await this.cql.execute(
      'UPDATE crypto_certificates SET status = ?, deleted_at = ?, private_key = null WHERE ccid = ? AND id = ? IF EXISTS',
      ['deleted', new Date(at), ccid, id],
      { idempotent: false },
    );
    await this.cql.execute('UPDATE crypto_certificates SET active_id = null WHERE ccid = ? IF active_id = ?', [ccid, id], { idempotent: false });
  }

  async replacePrivateKey(ccid: string, id: string, expected: SealedSecret, next: SealedSecret): Promise<boolean> {
    const result = await this.cql.execute(
      'UPDATE crypto_certificates SET private_key = ? WHERE ccid = ? AND id = ? IF private_key = ?',
      [JSON.stringify(next), ccid, id, JSON.stringify(expected)],
      { idempotent: false },
    );
    return result.wasApplied();
  }
}

function toCertificate(row: types.Row): Certificate {
  const id = String(row.id);
  const stored = row.status as CertificateStatus;
  const isActive = row.active_id !== null && row.active_id !== undefined && String(row.active_id) === id;
  const status: CertificateStatus = isActive ? 'active' : stored === 'active' ? 'retired' : stored;
  const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : undefined);
  return {
    id,
    ccid: String(row.ccid),
    alias: row.alias,
    status,
    certificatePem: row.certificate_pem,
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serial_number,
    fingerprint256: row.fingerprint256,
    notBefore: iso(row.not_before)!,
    notAfter: iso(row.not_after)!,
    keyBits: row.key_bits,
    privateKey: row.private_key ? (JSON.parse(row.private_key as string) as SealedSecret) : undefined,
    createdAt: iso(row.created_at)!,
    activatedAt: iso(row.activated_at),
    retiredAt: iso(row.retired_at),
    deletedAt: iso(row.deleted_at),
  };
}

function byCreation(a: Certificate, b: Certificate): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
