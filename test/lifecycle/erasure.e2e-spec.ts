import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { receiptVerifies } from './lifecycle-fixtures';

const SUBJECT = '+1 (617) 555-0199';
const DIGITS = '6175550199';

/** Access and erasure by customer phone number: everything found, erased but what legal hold keeps, proven by a receipt. */
describe('erasure by customer phone number', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ env: { RWS_RETENTION_INTERVAL_SECONDS: '0' } }));
    http = client(app);
    ccid = await createContactCenter(app);
  }, 60_000);
  afterAll(() => app?.close());

  async function post(overrides: Record<string, unknown>): Promise<string> {
    const doc = recordingDocument(overrides);
    // No media location: this suite has no voice storage (media removal is the recordings delete's own, tested there).
    for (const media of doc.mediaFiles as Record<string, unknown>[]) delete media.mediaDescriptor;
    expect((await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc)).status).toBe(200);
    return doc.id as string;
  }

  it('exports, then erases everything about the number except held recordings, leaving nothing findable and the number nowhere in the audit log', async () => {
    const asCaller = await post({ callerPhoneNumber: SUBJECT });
    const asDialed = await post({ dialedPhoneNumber: `1${DIGITS}`, callerPhoneNumber: '+18005550000' });
    const held = await post({ callerPhoneNumber: `+1-617-555-0199` });
    const unrelated = await post({ callerPhoneNumber: '+16175550198' });
    await http.post(`/api/v2/ops/contact-centers/${ccid}/recordings/${held}`, { operationName: 'applyNonDelete' });
    const base = `/api/v2/ops/contact-centers/${ccid}/data-subjects`;

    const exported = await http.post(`${base}/export`, { phoneNumber: SUBJECT });
    expect(exported.status).toBe(200);
    expect((exported.body.recordings as { id: string }[]).map((r) => r.id).sort()).toEqual([asCaller, asDialed, held].sort());
    expect(exported.body.screenRecordings).toEqual([]);

    const erased = await http.post(`${base}/erase`, { phoneNumber: SUBJECT });
    expect(erased.status).toBe(200);
    expect((erased.body.erased as string[]).sort()).toEqual([asCaller, asDialed].sort());
    expect(erased.body.refusedUnderLegalHold).toEqual([held]);

    for (const id of [asCaller, asDialed]) expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${id}`)).status).toBe(404);
    for (const id of [held, unrelated]) expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${id}`)).status).toBe(200);
    const byCaller = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?callerPhoneNumber=1${DIGITS}`);
    expect((byCaller.body.recordings as { id: string }[]).map((r) => r.id)).toEqual([held]);
    const byDialed = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?dialedPhoneNumber=*${DIGITS}`);
    expect(byDialed.body.recordings).toEqual([]);
    const again = await http.post(`${base}/export`, { phoneNumber: SUBJECT });
    expect((again.body.recordings as { id: string }[]).map((r) => r.id)).toEqual([held]);

    const receipt = (await http.get(`/api/v2/ops/contact-centers/${ccid}/receipts/${erased.body.receiptId as string}`)).body;
    const document = receipt.document as string;
    expect(JSON.parse(document)).toMatchObject({ kind: 'erasure', erasureId: erased.body.erasureId, actor: 'ops' });
    expect((JSON.parse(document) as { recordings: { id: string }[] }).recordings.map((r) => r.id).sort()).toEqual([asCaller, asDialed].sort());
    expect(document).not.toContain(DIGITS);
    const publicKey = await (await fetch(`${app.url}/api/v2/ops/receipt-signing-key`, { headers: { authorization: app.opsAuth } })).text();
    expect(receiptVerifies(publicKey, document, receipt.signature as string)).toBe(true);

    const audit = (await http.get(`/api/v2/ops/contact-centers/${ccid}/audit-log?limit=1000`)).body.entries as { action: string }[];
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['subjectAccess', 'subjectErasure']));
    const subjectEntries = JSON.stringify(audit.filter((e) => e.action.startsWith('subject') || e.action === 'receiptIssue'));
    expect(subjectEntries).not.toContain(DIGITS);
    expect(subjectEntries).not.toContain('0199');
  });

  it('refuses patterns and non-numbers with a 400', async () => {
    for (const phoneNumber of ['*0199', '+1', '', 42]) {
      const response = await http.post(`/api/v2/ops/contact-centers/${ccid}/data-subjects/erase`, { phoneNumber });
      expect(response.status).toBe(400);
      expect(String(response.body.statusMessage)).toContain('phoneNumber');
    }
  });
});
