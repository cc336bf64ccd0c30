import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { ScreenRecordingStore } from '../../src/screen-recordings/screen-recording.store';
import { RecordingStorage } from '../../src/storage/recording-storage';
import { createIdentityFixture, createUser, IdentityFixture, TestUser } from '../support/identity-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * A stored media object belongs to one recording of one contact center (finding 2): a service account cannot
 * register another contact center's object, nor one another recording owns, and deleting through an alias
 * never removes media that belongs to (and is held with) the original.
 */
describe('ownership of stored screen media', () => {
  let rws: TestApp;
  let people: IdentityFixture;
  let deleter: TestUser;
  let storage: RecordingStorage;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
    people = await createIdentityFixture(rws);
    deleter = await createUser(rws, people.ccid, 'deleter', { kind: 'service', permissions: ['deleteRecordings'] });
    storage = rws.app.get(RecordingStorage);
  });
  afterAll(() => rws.close());

  const body = (id: string, path: string) => ({
    id,
    callUuid: `CALL${randomUUID().slice(0, 8)}`,
    userName: people.alice.userName,
    agentId: 'a-alice',
    startTime: '2026-11-20T10:00:00Z',
    stopTime: '2026-11-20T10:05:00Z',
    mediaFiles: [{ mediaId: 'muxed.mp4', type: 'video/mp4', size: 2048, startTime: '2026-11-20T10:00:00Z', stopTime: '2026-11-20T10:05:00Z', path }],
  });
  const create = (ccid: string, who: TestUser, payload: object) => request(rws.url).post(`/internal-api/contact-centers/${ccid}/screen-recordings`).set('Authorization', who.basic).send(payload);

  /** A recording of contact center A with its media stored in its own folder; returns its id and key. */
  async function storedRecordingOfA(): Promise<{ id: string; key: string; bytes: Buffer }> {
    const id = randomUUID();
    const key = `cc/${people.ccid}/screen/${id}/muxed.mp4`;
    const bytes = randomBytes(2048);
    await storage.write(key, Readable.from([bytes]), { contentLength: bytes.length });
    await create(people.ccid, people.processor, body(id, key)).expect(200);
    return { id, key, bytes };
  }

  it("refuses a service account of contact center B registering A's stored file (403, envelope), and A's file stays A's", async () => {
    const original = await storedRecordingOfA();
    const refused = await create(people.otherCcid, people.foreignService, body(randomUUID(), original.key)).expect(403);
    expect(refused.body).toEqual({ statusCode: 3, statusMessage: expect.stringMatching(/^Parameter 'mediaFiles\[0\]\.path' names media outside this contact center/) });
    // Not even by its absolute location inside B's own prefix (path traversal is a bad key, never a read).
    const traversal = await create(people.otherCcid, people.foreignService, body(randomUUID(), `cc/${people.otherCcid}/../${people.ccid}/screen/${original.id}/muxed.mp4`));
    expect([400, 403]).toContain(traversal.status);
    expect((await storage.stat(original.key))?.size).toBe(2048);
  });

  it('refuses registering, inside one contact center, an object another recording owns (409)', async () => {
    const original = await storedRecordingOfA();
    const alias = await create(people.ccid, people.processor, body(randomUUID(), original.key)).expect(409);
    expect(alias.body).toEqual({ statusCode: 7, statusMessage: "Parameter 'mediaFiles[0].path' names media that belongs to another recording." });
  });

  it('an alias (registered before ownership was enforced) deletes only its metadata, never the held original media', async () => {
    const original = await storedRecordingOfA();
    await request(rws.url)
      .post(`/internal-api/contact-centers/${people.ccid}/screen-recordings`)
      .set('Authorization', people.processor.basic)
      .send(body(randomUUID(), original.key))
      .expect(409);
    // Legal hold on the original (what a voice applyNonDelete does for the call's screen recordings).
    const screens = rws.app.get(ScreenRecordingStore);
    await screens.modify(people.ccid, original.id, (current) => ({ ...current, nonDelete: true }));
    // An alias as old data may hold it: another recording of the same contact center naming the same object.
    const held = await screens.get(people.ccid, original.id);
    const aliasId = randomUUID();
    expect(await screens.create({ ...held!, id: aliasId, nonDelete: false })).toBe(true);

    await request(rws.url).delete(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${aliasId}/content/muxed.mp4`).set('Authorization', deleter.basic).expect(200);
    expect((await storage.stat(original.key))?.size).toBe(2048);
    const content = await request(rws.url)
      .get(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${original.id}/content/muxed.mp4`)
      .set('Authorization', people.processor.basic)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((content.body as Buffer).equals(original.bytes)).toBe(true);
    // And the original itself: held, so refused even to a holder of deleteRecordings.
    await request(rws.url).delete(`/internal-api/contact-centers/${people.ccid}/screen-recordings/${original.id}/content/muxed.mp4`).set('Authorization', deleter.basic).expect(409);
    expect((await storage.stat(original.key))?.size).toBe(2048);
  });
});
