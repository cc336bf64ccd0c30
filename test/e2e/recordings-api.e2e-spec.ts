/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are walked loosely in assertions */
import { RecordingStore } from '../../src/recordings/recording.store';
import { RecordingAuditEvent, RecordingAuditSink } from '../../src/recordings/recording-audit';
import { mergeRecording } from '../../src/recordings/recording-merge';
import { parseInsertDocument } from '../../src/recordings/recording-insert.validation';
import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';

describe.each(METADATA_BACKENDS)('voice recordings API (%s)', (backend) => {
  let app: TestApp;
  let ccid: string;
  let http: ReturnType<typeof client>;
  const ops = () => `/api/v2/ops/contact-centers/${ccid}`;
  const insertPath = () => `/internal-api/contact-centers/${ccid}/recordings`;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata: backend }));
    http = client(app);
    ccid = await createContactCenter(app);
  }, 120_000);
  afterAll(() => app?.close());

  it('inserts a document and returns it on both paths with play links and unknown fields', async () => {
    const doc = recordingDocument({ custom: { keep: ['me'] } });
    expect((await http.post(insertPath(), doc)).body).toEqual({ statusCode: 0 });
    const viaOps = await http.get(`${ops()}/recordings/${doc.id}`);
    expect(viaOps.status).toBe(200);
    const recording = viaOps.body.recording as Record<string, any>;
    expect(recording).toMatchObject({ id: doc.id, ccid, region: 'region1', custom: { keep: ['me'] }, startTime: '2014-12-16T18:42:41.000+0000', screenRecordings: [] });
    const media = recording.mediaFiles[0];
    expect(media.duration).toBe('38.376');
    expect(media.size).toBe('153504');
    expect(media.mediaFileId).toMatch(/^[0-9a-f-]{36}$/);
    expect(media.mediaPath).toBe(`/ops/contact-centers/${ccid}/recordings/${doc.id}/play/${media.mediaFileId}.mp3`);
    expect(media.playPath).toBe(media.mediaPath);
    expect(media.mediaUri).toBe(`${app.url}/api/v2${media.mediaPath}`);
    expect(media.originalMediaDescriptor).toEqual((doc.mediaFiles as any)[0].mediaDescriptor);

    const viaPublic = await http.get(`/api/v2/recordings/${doc.id}?ccid=${ccid}`);
    expect(viaPublic.status).toBe(200);
    const publicMedia = (viaPublic.body.recording as any).mediaFiles[0];
    expect(publicMedia.mediaPath).toBe(`/recordings/${doc.id}/play/${media.mediaFileId}.mp3`);
    expect(publicMedia.mediaUri).toBe(`${app.url}/api/v2/recordings/${doc.id}/play/${media.mediaFileId}.mp3`);
  });

  it('upserts idempotently: retries never duplicate, parts merge, mediaFileId stays', async () => {
    const doc = recordingDocument();
    await http.post(insertPath(), doc);
    await http.post(insertPath(), doc);
    const first = (await http.get(`${ops()}/recordings/${doc.id}`)).body.recording as any;
    const part = recordingDocument({
      id: doc.id,
      startTime: '2014-12-16T18:40:00+00:00',
      stopTime: '2014-12-16T18:45:00Z',
      eventHistory: [...(doc.eventHistory as unknown[]), { occurredAt: '2014-12-16T18:49:00Z', event: 'Left' }],
      mediaFiles: [{ mediaId: 'second.mp3', type: 'audio/mp3', parameters: { agentId: 'agent7002' } }],
    });
    expect((await http.post(insertPath(), part)).status).toBe(200);
    const merged = (await http.get(`${ops()}/recordings/${doc.id}`)).body.recording as any;
    expect(merged.mediaFiles.map((m: any) => m.mediaId)).toEqual([(doc.mediaFiles as any)[0].mediaId, 'second.mp3']);
    expect(merged.mediaFiles[0].mediaFileId).toBe(first.mediaFiles[0].mediaFileId);
    expect(merged.eventHistory).toHaveLength(2);
    expect(merged.startTime).toBe('2014-12-16T18:40:00.000+0000');
    expect(merged.stopTime).toBe('2014-12-16T18:50:00.000+0000');
    const byNewAgent = await http.get(`${ops()}/recordings?agentId=agent7002`);
    expect((byNewAgent.body.recordings as any[]).map((r) => r.id)).toEqual([doc.id]);
  });

  it('searches with filters and pages with signed tokens', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const doc = recordingDocument({ startTime: `2015-01-0${i + 1}T10:00:00Z`, stopTime: `2015-01-0${i + 1}T10:05:00Z`, callerPhoneNumber: '+1 (555) 010-999', mediaFiles: [{ mediaId: `m${i}.mp3`, parameters: { agentId: 'pager' } }] });
      ids.push(doc.id as string);
      await http.post(insertPath(), doc);
    }
    const first = await http.get(`${ops()}/recordings?agentId=pager&limit=2`);
    expect((first.body.recordings as any[]).map((r) => r.id)).toEqual([ids[4], ids[3]]);
    const token = first.body.nextPageToken as string;
    expect(first.body.links).toEqual({ next: expect.stringContaining(`pageToken=${encodeURIComponent(token)}`) });
    const second = await http.get(`${ops()}/recordings?agentId=pager&limit=2&pageToken=${encodeURIComponent(token)}`);
    expect((second.body.recordings as any[]).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const tampered = token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const bad = await http.get(`${ops()}/recordings?agentId=pager&limit=2&pageToken=${encodeURIComponent(tampered)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.statusMessage).toContain("Parameter 'pageToken' is invalid");
    const otherFilters = await http.get(`${ops()}/recordings?agentId=other&limit=2&pageToken=${encodeURIComponent(token)}`);
    expect(otherFilters.status).toBe(400);
    const wildcard = await http.get(`${ops()}/recordings?callerPhoneNumber=${encodeURIComponent('*010999')}&startTime=2015-01-02T00:00:00Z&endTime=2015-01-03T23:59:59Z`);
    expect((wildcard.body.recordings as any[]).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const none = await http.get(`${ops()}/recordings`);
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ statusCode: 2, statusMessage: expect.stringContaining("Parameter 'filter' is invalid") });
  });

  it('refuses delete under non-delete, then deletes once it is removed', async () => {
    const doc = recordingDocument({ mediaFiles: [{ mediaId: 'nd.mp3' }] });
    await http.post(insertPath(), doc);
    expect((await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'applyNonDelete' })).status).toBe(200);
    expect(((await http.get(`${ops()}/recordings/${doc.id}`)).body.recording as any).nonDelete).toBe(true);
    const refused = await http.delete(`${ops()}/recordings/${doc.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.statusMessage).toContain('non-delete');
    expect((await http.get(`${ops()}/recordings/${doc.id}`)).status).toBe(200);
    await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'removeNonDelete' });
    expect((await http.delete(`${ops()}/recordings/${doc.id}`)).body).toEqual({ statusCode: 0 });
    const gone = await http.get(`${ops()}/recordings/${doc.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ statusCode: 6, statusMessage: `Requested recording [${doc.id}] cannot be found.` });
    expect((await http.get(`${ops()}/recordings?callUuid=${doc.id}`)).body.recordings).toEqual([]);
  });

  it('labels need a definition and become searchable', async () => {
    const doc = recordingDocument();
    await http.post(insertPath(), doc);
    const undefinedLabel = await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'addLabel', label: 'escalated' });
    expect(undefinedLabel.status).toBe(400);
    expect((await http.post(`/api/v2/recording-label-definitions?ccid=${ccid}`, { name: 'escalated', displayName: 'Escalated' })).status).toBe(200);
    expect((await http.post(`${ops()}/recording-label-definitions`, { name: 'escalated' })).status).toBe(409);
    expect(((await http.get(`${ops()}/recording-label-definitions`)).body.labelDefinitions as any[]).map((d) => d.name)).toEqual(['escalated']);
    expect((await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'addLabel', label: 'escalated' })).status).toBe(200);
    expect((await http.get(`${ops()}/recordings?label=escalated`)).body.recordings).toEqual([expect.objectContaining({ id: doc.id, labels: ['escalated'] })]);
    await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'removeLabel', label: 'escalated' });
    expect((await http.get(`${ops()}/recordings?label=escalated`)).body.recordings).toEqual([]);
    const badOp = await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'explode' });
    expect(badOp.body.statusMessage).toContain("Parameter 'operationName' is invalid");
  });

  it('answers the installer endpoints and masks stored passwords', async () => {
    expect((await http.post(`${ops()}/recordings`, { operationName: 'createCRCF' })).body).toEqual({ statusCode: 0 });
    expect((await http.get(`${ops()}/recording-tables`)).status).toBe(200);
    const settings = { store: [{ webDAV: { storagePath: 'http://127.0.0.1:8081/recordings', username: 'dav', password: 's3cret' } }] };
    expect((await http.put(`${ops()}/settings/recordings`, settings)).body).toEqual({ statusCode: 0 });
    const read = await http.get(`${ops()}/settings/recordings`);
    expect(read.body.settings).toEqual({ store: [{ webDAV: { storagePath: 'http://127.0.0.1:8081/recordings', username: 'dav', password: '********' } }] });
    expect((await http.put(`${ops()}/settings/recordings`, { store: [{ webDAV: { storagePath: 'ftp://x' } }] })).status).toBe(400);
  });

  it('serves the public paths for the ops account when it names the contact center', async () => {
    const doc = recordingDocument({ mediaFiles: [{ mediaId: 'pub.mp3', parameters: { agentId: 'publicAgent' } }] });
    await http.post(insertPath(), doc);
    const missing = await http.get('/api/v2/recordings?agentId=publicAgent');
    expect(missing.status).toBe(400);
    expect(missing.body.statusMessage).toContain("Parameter 'ccid' is invalid");
    const found = await http.get(`/api/v2/recordings?ccid=${ccid}&agentId=publicAgent`);
    expect((found.body.recordings as any[]).map((r) => r.id)).toEqual([doc.id]);
    expect((await http.post(`/api/v2/recordings/${doc.id}?ccid=${ccid}`, { operationName: 'applyNonDelete' })).status).toBe(200);
    expect((await http.delete(`/api/v2/recordings/${doc.id}?ccid=${ccid}`)).status).toBe(409);
    await http.post(`/api/v2/recordings/${doc.id}?ccid=${ccid}`, { operationName: 'removeNonDelete' });
    expect((await http.delete(`/api/v2/recordings/${doc.id}?ccid=${ccid}`)).status).toBe(200);
    expect((await http.get(`/api/v2/recordings/${doc.id}?ccid=${ccid}`)).status).toBe(404);
  });

  it('documents every recording endpoint in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${app.url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/internal-api/contact-centers/{ccid}/recordings',
        '/api/v2/recordings',
        '/api/v2/recordings/{id}',
        '/api/v2/ops/contact-centers/{ccid}/recordings',
        '/api/v2/ops/contact-centers/{ccid}/recordings/{id}',
        '/api/v2/ops/contact-centers/{ccid}/recording-tables',
        '/api/v2/ops/contact-centers/{ccid}/settings/recordings',
        '/api/v2/recording-label-definitions',
      ]),
    );
    expect(JSON.stringify(doc.paths['/api/v2/recordings'].get)).toContain('callerPhoneNumber');
  });

  it('hands every search, delete and non-delete change to the audit sink', async () => {
    const events: RecordingAuditEvent[] = [];
    const sink = app.app.get(RecordingAuditSink);
    const spy = jest.spyOn(sink, 'record').mockImplementation(async (event) => void events.push(event));
    try {
      const doc = recordingDocument({ mediaFiles: [{ mediaId: 'audit.mp3' }] });
      await http.post(insertPath(), doc);
      await http.get(`${ops()}/recordings?callUuid=${doc.id}`);
      await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'applyNonDelete' });
      await http.delete(`${ops()}/recordings/${doc.id}`);
      await http.post(`${ops()}/recordings/${doc.id}`, { operationName: 'removeNonDelete' });
      await http.delete(`${ops()}/recordings/${doc.id}`);
      await http.delete(`${ops()}/recordings/${doc.id}`);
      expect(events.map((e) => [e.action, e.outcome])).toEqual([
        ['search', 'success'],
        ['applyNonDelete', 'success'],
        ['delete', 'refused'],
        ['removeNonDelete', 'success'],
        ['delete', 'success'],
        ['delete', 'not-found'],
      ]);
      expect(events[0]).toMatchObject({ userName: 'ops', ccid, from: expect.stringContaining('127.0.0.1'), at: expect.any(String), detail: { filters: { callUuid: doc.id }, returned: 1 } });
      expect(events[4]).toMatchObject({ recordingId: doc.id });
    } finally {
      spy.mockRestore();
    }
  });

  it('needs credentials', async () => {
    const response = await fetch(`${app.url}/api/v2/ops/contact-centers/${ccid}/recordings?agentId=x`);
    expect(response.status).toBe(401);
  });

  it('hides recordings of another region', async () => {
    const store = app.app.get(RecordingStore);
    const doc = parseInsertDocument(recordingDocument({ region: 'region2', callerPhoneNumber: '+999000111' }), ccid);
    await store.upsert(ccid, doc.id, (current) => mergeRecording(current, doc));
    const get = await http.get(`${ops()}/recordings/${doc.id}`);
    expect(get.status).toBe(404);
    expect(get.body.statusMessage).toBe(`Requested recording [${doc.id}] cannot be found.`);
    expect((await http.get(`${ops()}/recordings?callerPhoneNumber=999000111`)).body.recordings).toEqual([]);
    expect((await http.delete(`${ops()}/recordings/${doc.id}`)).status).toBe(404);
  });

  describe('bad input: a clear envelope error and nothing written', () => {
    const cases: [string, () => { path?: string; body: unknown; contentType?: string }, number, string][] = [
      ['malformed JSON', () => ({ body: '{"id": "X1", ', contentType: 'application/json' }), 400, 'JSON'],
      ['missing mandatory field', () => ({ body: (({ dialedPhoneNumber: _d, ...rest }) => rest)(recordingDocument({ id: 'BADMISSING' })) }), 400, "Parameter 'dialedPhoneNumber' is invalid: is mandatory"],
      ['wrong type', () => ({ body: recordingDocument({ id: 'BADTYPE', mediaFiles: [{ mediaId: 'x', size: 153504 }] }) }), 400, "Parameter 'mediaFiles[0].size' is invalid: must be a string"],
      ['10 MB document', () => ({ body: recordingDocument({ id: 'BADHUGE', padding: 'x'.repeat(10 * 1024 * 1024) }) }), 413, 'Request body is too large.'],
      ['unknown ccid', () => ({ path: '/internal-api/contact-centers/00000000-0000-4000-8000-00000000dead/recordings', body: recordingDocument({ id: 'BADCCID' }) }), 404, 'Contact center [00000000-0000-4000-8000-00000000dead] cannot be found.'],
    ];
    it.each(cases)('%s', async (_name, make, status, message) => {
      const { path, body, contentType } = make();
      const response = await http.post(path ?? insertPath(), body, contentType ? { 'content-type': contentType } : {});
      expect(response.status).toBe(status);
      expect(response.body.statusCode).toBe(status === 413 ? 8 : status === 404 ? 6 : 2);
      expect(response.body.statusMessage).toContain(message);
      expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(/); // no stack trace
      const id = typeof body === 'object' && body ? (body as { id?: string }).id : 'X1';
      expect((await http.get(`${ops()}/recordings/${id}`)).status).toBe(404);
      expect((await http.get(`${ops()}/recordings?callUuid=${id}`)).body.recordings).toEqual([]);
    });
  });
});
