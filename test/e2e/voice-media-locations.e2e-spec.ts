import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { mergeRecording } from '../../src/recordings/recording-merge';
import { RecordingStore } from '../../src/recordings/recording.store';
import { client, createContactCenter, FIXTURE_VOICE_STORE, recordingDocument } from '../support/recording-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * Voice media paths are limited to the contact center's configured stores (finding 5, SSRF): an insert naming
 * anything else is refused with 400 naming the field, and a recording that somehow holds such a path (older
 * data) is never fetched for players nor sent an HTTP DELETE.
 */
describe('voice media locations', () => {
  let app: TestApp;
  let http: ReturnType<typeof client>;
  let ccid: string;
  let elsewhere: Server;
  let elsewhereUrl: string;
  const hits: string[] = [];

  beforeAll(async () => {
    elsewhere = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.end('internal secret');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    app = await startTestApp(testConfig());
    http = client(app);
    ccid = await createContactCenter(app);
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => elsewhere.close(resolve));
  });

  const withPath = (path: string) => {
    const doc = recordingDocument();
    (doc.mediaFiles as Record<string, unknown>[])[0].mediaDescriptor = { storage: 'webDAV', path };
    return doc;
  };

  it.each([
    ['another host', () => `${elsewhereUrl}/admin/secret`],
    ['the store host on another path', () => 'http://127.0.0.1:9/other/x.mp3'],
    ['a dot-dot escape from the store', () => `${FIXTURE_VOICE_STORE}../admin/x.mp3`],
    ['an encoded escape', () => `${FIXTURE_VOICE_STORE}%2e%2e/admin/x.mp3`],
    ['credentials in the URL', () => FIXTURE_VOICE_STORE.replace('http://', 'http://u:p@') + 'x.mp3'],
    ['another scheme', () => 'file:///etc/passwd'],
  ])('refuses an insert naming %s (400, the field named)', async (_, path) => {
    const doc = withPath(path());
    const refused = await http.post(`/internal-api/contact-centers/${ccid}/recordings`, doc);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ statusCode: 2, statusMessage: expect.stringMatching(/^Parameter 'mediaFiles\[0\]\.mediaDescriptor\.path' is invalid: outside every voice store/) });
    expect((await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${doc.id}`)).status).toBe(404);
  });

  it('accepts paths inside a configured store, absolute or relative', async () => {
    expect((await http.post(`/internal-api/contact-centers/${ccid}/recordings`, withPath(`${FIXTURE_VOICE_STORE}2026/a.mp3`))).status).toBe(200);
    expect((await http.post(`/internal-api/contact-centers/${ccid}/recordings`, withPath('2026/b.mp3'))).status).toBe(200);
  });

  it('never fetches nor deletes a stored path outside the configured stores', async () => {
    // A recording stored before the rule existed, naming a host RWS must not reach on anyone's behalf.
    const doc = withPath(`${elsewhereUrl}/admin/secret`);
    const stored = mergeRecording(undefined, parseInsertDocument(doc, ccid));
    await app.app.get(RecordingStore).upsert(ccid, stored.id, () => stored);
    const mediaFileId = stored.mediaFiles[0].mediaFileId as string;
    const play = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings/${stored.id}/play/${mediaFileId}.mp3`);
    expect(play.status).toBe(404);
    expect(JSON.stringify(play.body)).not.toContain('internal secret');
    expect((await http.delete(`/api/v2/ops/contact-centers/${ccid}/recordings/${stored.id}`)).status).toBe(200);
    expect(hits).toEqual([]);
  });
});
