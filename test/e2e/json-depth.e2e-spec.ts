import { client, createContactCenter, recordingDocument } from '../support/recording-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { METADATA_BACKENDS, testConfig } from '../support/test-config';

/** `{"k":{"k":…{"k":1}…}}` with `levels` objects. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { k: value };
  return value;
}

describe.each(METADATA_BACKENDS)('JSON nesting and size limits at the parser (%s)', (backend) => {
  let app: TestApp;
  let ccid: string;
  let http: ReturnType<typeof client>;
  const insertPath = () => `/internal-api/contact-centers/${ccid}/recordings`;
  const recordingPath = (id: string) => `/api/v2/ops/contact-centers/${ccid}/recordings/${id}`;

  beforeAll(async () => {
    app = await startTestApp(testConfig({ metadata: backend }));
    http = client(app);
    ccid = await createContactCenter(app);
  }, 120_000);
  afterAll(() => app?.close());

  it('refuses a recording nested 2000 levels deep with 400, and never stores it', async () => {
    const doc = recordingDocument({ custom: nested(2000) });
    const res = await http.post(insertPath(), doc);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 2, statusMessage: 'Request body is nested too deeply (at most 64 levels).' });
    expect((await http.get(recordingPath(doc.id as string))).status).toBe(404);
    const search = await http.get(`/api/v2/ops/contact-centers/${ccid}/recordings?callUuid=${doc.id as string}`);
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.body)).not.toContain(doc.id as string);
  });

  it('refuses one level over the limit, and stores and serves a document at the limit', async () => {
    // The document is level 1 and `custom` level 2: 63 more objects inside make 64 levels in all.
    const atLimit = recordingDocument({ custom: nested(63) });
    expect((await http.post(insertPath(), atLimit)).status).toBe(200);
    const stored = await http.get(recordingPath(atLimit.id as string));
    expect(stored.status).toBe(200);
    expect((stored.body.recording as Record<string, unknown>).custom).toEqual(nested(63));

    const over = recordingDocument({ custom: nested(64) });
    expect((await http.post(insertPath(), over)).status).toBe(400);
    expect((await http.get(recordingPath(over.id as string))).status).toBe(404);
  });

  it('answers the token endpoint with 400 for a deep JSON body and 401 for a form body, never 500', async () => {
    const deep = await fetch(`${app.url}/api/v2/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"userName":${'{"k":'.repeat(5000)}1${'}'.repeat(5000)},"password":"x"}` });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({ statusCode: 2, statusMessage: 'Request body is nested too deeply (at most 64 levels).' });
    const form = await fetch(`${app.url}/api/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `userName${'[a]'.repeat(5000)}=x&password=y`,
    });
    expect(form.status).toBe(401);
    expect(await form.json()).toMatchObject({ statusCode: 1 });
  });

  it('refuses a body over the size limit with 413 in the envelope', async () => {
    const res = await http.post(insertPath(), recordingDocument({ custom: { pad: 'x'.repeat(6 * 1024 * 1024) } }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 8, statusMessage: 'Request body is too large.' });
  });
});
