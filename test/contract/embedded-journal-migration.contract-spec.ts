import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestingModule } from '@nestjs/testing';
import { ContactCenterStore } from '../../src/contact-centers/contact-center.store';
import { CertificateStore } from '../../src/crypto/certificates/certificate.store';
import { AuditLogStore } from '../../src/identity/audit/audit-log.store';
import { UserStore } from '../../src/identity/users/user.store';
import { RecordingStore } from '../../src/recordings/recording.store';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { openPersistence } from '../support/persistence-harness';

/**
 * test/fixtures/journal-v1 holds a journal written by the journal store (the code before SQLite) through
 * the store ports, and what those ports read back then (expected.json): contact center, users (one
 * deleted), certificates (one activated), recordings (one relabelled, one deleted), audit entries, and
 * screen recordings still uploading beside stored ones.
 */
const FIXTURE = join(__dirname, '../fixtures/journal-v1');
const CCID = '6f1c2e0a-0000-4000-8000-000000000001';
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as Record<string, unknown>;

function dataDirWithJournal(extra = ''): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'rws-migration-'));
  mkdirSync(join(dataDir, 'metadata'));
  copyFileSync(join(FIXTURE, 'metadata.journal'), join(dataDir, 'metadata', 'metadata.journal'));
  if (extra) appendFileSync(join(dataDir, 'metadata', 'metadata.journal'), extra);
  return dataDir;
}

async function readEverything(moduleRef: TestingModule): Promise<Record<string, unknown>> {
  const recordings = moduleRef.get(RecordingStore);
  const screens = moduleRef.get(ScreenRecordingStore);
  return {
    contactCenter: await moduleRef.get(ContactCenterStore).get(CCID),
    users: await moduleRef.get(UserStore).list(CCID),
    certificates: await moduleRef.get(CertificateStore).list(CCID),
    recordings: await Promise.all(Array.from({ length: 40 }, (_, i) => recordings.get(CCID, `FIXTURECALL${String(i).padStart(3, '0')}`))),
    audit: await moduleRef.get(AuditLogStore).query({ ccid: CCID, from: new Date(0), to: new Date(Date.UTC(2030, 0, 1)), limit: 1000 }),
    screenRecordings: await Promise.all(Array.from({ length: 4 }, (_, i) => screens.get(CCID, `s000000${i}-0000-4000-8000-000000000000`))),
  };
}

/** JSON round trip: `undefined` entries of arrays (deleted rows) read as null, as in expected.json. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('embedded store: conversion of a journal data directory (embedded only)', () => {
  it('converts every collection at first start, keeps the journal aside, and serves the same data', async () => {
    const dataDir = dataDirWithJournal();
    const moduleRef = await openPersistence('embedded', dataDir);
    try {
      expect(asJson(await readEverything(moduleRef))).toEqual(expected);
      const files = readdirSync(join(dataDir, 'metadata'));
      expect(files).toContain('metadata.sqlite');
      expect(files).not.toContain('metadata.journal');
      const aside = files.filter((f) => f.startsWith('metadata.journal.converted-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dataDir, 'metadata', aside[0]))).toEqual(readFileSync(join(FIXTURE, 'metadata.journal')));
      // The search index was built from the converted rows: 39 recordings are left, one carries the label.
      const page = await moduleRef.get(RecordingStore).search({ ccid: CCID, region: 'region1', filters: { label: 'escalated' }, scope: { kind: 'all' }, limit: 100, maxScan: 1000 });
      expect(page.recordings.map((r) => r.id)).toEqual(['FIXTURECALL001']);
      const all = await moduleRef.get(RecordingStore).search({ ccid: CCID, region: 'region1', filters: { agentId: 'agent7001' }, scope: { kind: 'all' }, limit: 100, maxScan: 1000 });
      expect(all.recordings).toHaveLength(39);
    } finally {
      await moduleRef.close();
    }
    // Converted once: a second start opens the database and finds the same data.
    const again = await openPersistence('embedded', dataDir);
    try {
      expect(asJson(await readEverything(again))).toEqual(expected);
      expect(readdirSync(join(dataDir, 'metadata')).filter((f) => f.startsWith('metadata.journal'))).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it('redoes a conversion a crash interrupted, ignoring its leftovers and a torn last journal line', async () => {
    const dataDir = dataDirWithJournal('{"c":"users","k":"torn","v":{"userName":');
    // What a crash mid-conversion can leave: a partial new file and a log beside the final name.
    writeFileSync(join(dataDir, 'metadata', 'metadata.sqlite.converting'), 'partial');
    writeFileSync(join(dataDir, 'metadata', 'metadata.sqlite-wal'), 'stale log');
    const moduleRef = await openPersistence('embedded', dataDir);
    try {
      expect(asJson(await readEverything(moduleRef))).toEqual(expected);
      expect(await moduleRef.get(UserStore).findByName('torn')).toBeUndefined();
      expect(existsSync(join(dataDir, 'metadata', 'metadata.sqlite.converting'))).toBe(false);
    } finally {
      await moduleRef.close();
    }
  });
});
