import { PendingMediaDeleteStore } from '../../src/storage/media-deletes/pending-media-delete.store';
import { client, createContactCenter, FIXTURE_VOICE_STORE, recordingDocument } from '../support/recording-fixtures';
import { expectEventually, startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';

/**
 * A voice media object belongs to one recording of one contact center (finding 2 for voice): the first
 * recording that registers it owns it; another contact center (even on the same store) or another recording
 * cannot register it, and a delete queued for a gone owner never removes the object of its next owner.
 */
describe.each(METADATA_BACKENDS)('voice media ownership on %s', (metadata) => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccA: string;
  let ccB: string;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata, env: { RWS_MEDIA_DELETE_RETRY_SECONDS: '0.1' } }));
    http = client(app);
    ccA = await createContactCenter(app);
    ccB = await createContactCenter(app); // configured on the same store as A
  }, 60_000);
  afterAll(() => app?.close());

  const docFor = (path: string) => {
    const doc = recordingDocument();
    (doc.mediaFiles as Record<string, unknown>[])[0].mediaDescriptor = { storage: 'webDAV', path };
    return doc;
  };
  const insert = (ccid: string, doc: Record<string, unknown>) => http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);

  it("refuses another contact center's and another recording's registration of an owned object (409)", async () => {
    const path = `${FIXTURE_VOICE_STORE}owned-${Date.now()}-${Math.random().toString(36).slice(2)}.mp3`;
    const first = docFor(path);
    expect((await insert(ccA, first)).status).toBe(200);
    expect((await insert(ccA, first)).status).toBe(200); // the processor's retry of the same document

    for (const [ccid, doc] of [
      [ccB, docFor(path)],
      [ccA, docFor(path)],
      [ccA, docFor(path.replace(FIXTURE_VOICE_STORE, '/'))], // the same object named relatively
    ] as const) {
      const refused = await insert(ccid, doc);
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({ statusCode: 7, statusMessage: "Parameter 'mediaFiles[0].mediaDescriptor.path' names media that belongs to another recording." });
      expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`)).status).toBe(404);
    }
  });

  it('hands a deleted recording’s object to the next owner; the old owner’s queued delete then leaves it alone', async () => {
    const path = `${FIXTURE_VOICE_STORE}handover-${Date.now()}-${Math.random().toString(36).slice(2)}.mp3`;
    const first = docFor(path);
    expect((await insert(ccA, first)).status).toBe(200);
    // The store (a closed port) is unreachable: the media delete is queued and keeps failing.
    expect((await http.delete(`/api/v2/ops/contact-centers/${ccA}/recordings/${first.id}`)).status).toBe(200);
    const pending = app.app.get(PendingMediaDeleteStore);
    expect((await pending.list(ccA)).map((e) => e.recordingId)).toContain(first.id);

    const next = docFor(path);
    expect((await insert(ccA, next)).status).toBe(200);
    // The retry now finds the object owned by `next`: it deletes nothing and is done.
    await expectEventually(async () => expect((await pending.list(ccA)).map((e) => e.recordingId)).not.toContain(first.id), 15_000);
    expect((await http.get(`/api/v2/ops/contact-centers/${ccA}/recordings/${next.id}`)).status).toBe(200);
    expect((await insert(ccB, docFor(path))).status).toBe(409);
  });
});
