import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { Certificate } from '../../src/crypto/certificates/certificate';
import { CertificateStore } from '../../src/crypto/certificates/certificate.store';
import type { SealedSecret } from '../../src/crypto/keys/master-key-ring';
import { openPersistence } from '../support/persistence-harness';
import { METADATA_BACKENDS } from '../support/test-config';

const sealed = (n: number): SealedSecret => ({ keyId: `key${n}`, iv: 'aXY=', tag: 'dGFn', ciphertext: Buffer.from(`secret ${n}`).toString('base64') });

function certificate(ccid: string, createdAt: string, overrides: Partial<Certificate> = {}): Certificate {
  return {
    id: randomUUID(),
    ccid,
    alias: 'media',
    status: 'inactive',
    certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    subject: 'CN=media',
    issuer: 'CN=media',
    serialNumber: '0A0B',
    fingerprint256: 'AB:CD',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    keyBits: 2048,
    privateKey: sealed(1),
    createdAt,
    ...overrides,
  };
}

describe.each(METADATA_BACKENDS)('CertificateStore on %s', (backend) => {
  let moduleRef: TestingModule;
  let store: CertificateStore;

  beforeAll(async () => {
    moduleRef = await openPersistence(backend);
    store = moduleRef.get(CertificateStore);
  });
  afterAll(() => moduleRef.close());

  it('stores certificates per contact center, once per id, listed oldest first', async () => {
    const ccid = randomUUID();
    const second = certificate(ccid, '2026-11-21T10:00:01.000Z', { privateKey: undefined });
    const first = certificate(ccid, '2026-11-21T10:00:00.000Z');
    expect(await store.create(second)).toBe(true);
    expect(await store.create(first)).toBe(true);
    expect(await store.create({ ...first, alias: 'again' })).toBe(false);
    await store.create(certificate(randomUUID(), '2026-11-21T09:00:00.000Z'));
    expect(await store.get(ccid, first.id)).toEqual(first);
    expect(await store.get(ccid, randomUUID())).toBeUndefined();
    expect(await store.list(ccid)).toEqual([first, second]);
    const everywhere = await store.listAll();
    expect(everywhere.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('keeps exactly one active certificate: activating another retires the previous one', async () => {
    const ccid = randomUUID();
    const a = certificate(ccid, '2026-11-21T10:00:00.000Z');
    const b = certificate(ccid, '2026-11-21T10:00:01.000Z');
    await store.create(a);
    await store.create(b);
    await store.activate(ccid, a.id, '2026-11-21T11:00:00.000Z');
    expect((await store.list(ccid)).map((c) => c.status)).toEqual(['active', 'inactive']);
    expect((await store.get(ccid, a.id))?.activatedAt).toBe('2026-11-21T11:00:00.000Z');
    await store.activate(ccid, b.id, '2026-11-21T12:00:00.000Z');
    const [oldA, newB] = await store.list(ccid);
    expect(oldA).toMatchObject({ status: 'retired', retiredAt: '2026-11-21T12:00:00.000Z' });
    expect(newB).toMatchObject({ status: 'active', activatedAt: '2026-11-21T12:00:00.000Z' });
    await store.retire(ccid, b.id, '2026-11-21T13:00:00.000Z');
    expect((await store.list(ccid)).map((c) => c.status)).toEqual(['retired', 'retired']);
  });

  it('retiring a certificate that is no longer active leaves the active one alone', async () => {
    const ccid = randomUUID();
    const a = certificate(ccid, '2026-11-21T10:00:00.000Z');
    const b = certificate(ccid, '2026-11-21T10:00:01.000Z');
    await store.create(a);
    await store.create(b);
    await store.activate(ccid, a.id, '2026-11-21T11:00:00.000Z');
    await store.activate(ccid, b.id, '2026-11-21T11:00:01.000Z');
    await store.retire(ccid, a.id, '2026-11-21T11:00:02.000Z');
    expect((await store.get(ccid, b.id))?.status).toBe('active');
  });

  it('deletes a private key for good: marked deleted, key erased, never brought back by a re-wrap', async () => {
    const ccid = randomUUID();
    const a = certificate(ccid, '2026-11-21T10:00:00.000Z');
    await store.create(a);
    expect(await store.replacePrivateKey(ccid, a.id, sealed(2), sealed(3))).toBe(false);
    expect(await store.replacePrivateKey(ccid, a.id, sealed(1), sealed(2))).toBe(true);
    expect((await store.get(ccid, a.id))?.privateKey).toEqual(sealed(2));
    await store.markDeleted(ccid, a.id, '2026-11-21T14:00:00.000Z');
    const deleted = await store.get(ccid, a.id);
    expect(deleted).toMatchObject({ status: 'deleted', deletedAt: '2026-11-21T14:00:00.000Z' });
    expect(deleted?.privateKey).toBeUndefined();
    expect(await store.replacePrivateKey(ccid, a.id, sealed(2), sealed(4))).toBe(false);
    expect((await store.get(ccid, a.id))?.privateKey).toBeUndefined();
  });
});
