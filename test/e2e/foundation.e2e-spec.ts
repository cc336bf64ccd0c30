import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

describe('the service on its embedded default', () => {
  let rws: TestApp;

  beforeAll(async () => {
    rws = await startTestApp(testConfig());
  });
  afterAll(() => rws.close());

  it('is live and ready, reporting each dependency', async () => {
    const live = await request(rws.url).get('/health/live').expect(200);
    expect(live.body.runtime).toMatch(/^v24\./);
    const ready = await request(rws.url).get('/health/ready').expect(200);
    expect(ready.body.statusCode).toBe(0);
    expect(ready.body.dependencies.metadata.status).toBe('up');
  });

  it('creates one contact center at first start, listed as absolute URIs', async () => {
    const res = await request(rws.url).get('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).expect(200);
    expect(res.body.statusCode).toBe(0);
    expect(res.body.uris).toHaveLength(1);
    expect(res.body.uris[0]).toMatch(new RegExp(`^${rws.url}/api/v2/ops/contact-centers/[0-9a-f-]{36}$`));
    const ccid = res.body.uris[0].split('/').pop();
    const features = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).expect(200);
    expect(features.body.uris).toEqual(['/api/api-supervisor-recording', '/api/api-voice-recording']);
  });

  it('creates contact centers and enables features idempotently', async () => {
    const created = await request(rws.url).post('/api/v2/ops/contact-centers').set('Authorization', rws.opsAuth).send({ name: 'Boston' }).expect(200);
    const ccid = created.body.contactCenter.id;
    for (let i = 0; i < 2; i++) {
      await request(rws.url)
        .post(`/api/v2/ops/contact-centers/${ccid}/features`)
        .set('Authorization', rws.opsAuth)
        .send({ uris: ['/api/api-voice-recording'] })
        .expect(200, { statusCode: 0 });
    }
    const features = await request(rws.url).get(`/api/v2/ops/contact-centers/${ccid}/features`).set('Authorization', rws.opsAuth).expect(200);
    expect(features.body.uris).toEqual(['/api/api-voice-recording']);
  });

  it('answers every error in the envelope, never with a stack trace', async () => {
    const noAuth = await request(rws.url).get('/api/v2/ops/contact-centers').expect(401);
    expect(noAuth.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(noAuth.body).toEqual({ statusCode: 1, statusMessage: expect.any(String) });

    const badPassword = await request(rws.url).get('/api/v2/ops/contact-centers').auth('ops', 'wrong').expect(401);
    expect(badPassword.body.statusCode).toBe(1);

    const malformed = await request(rws.url)
      .post('/api/v2/ops/contact-centers')
      .set('Authorization', rws.opsAuth)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body).toEqual({ statusCode: 2, statusMessage: expect.any(String) });

    const invalid = await request(rws.url)
      .post('/api/v2/ops/contact-centers/00000000-0000-4000-8000-000000000000/features')
      .set('Authorization', rws.opsAuth)
      .send({ uris: [42] })
      .expect(400);
    expect(invalid.body.statusMessage).toMatch(/^Parameter 'uris' is invalid/);

    const unknown = await request(rws.url)
      .post('/api/v2/ops/contact-centers/00000000-0000-4000-8000-000000000000/features')
      .set('Authorization', rws.opsAuth)
      .send({ uris: ['/api/api-voice-recording'] })
      .expect(404);
    expect(unknown.body).toEqual({ statusCode: 6, statusMessage: 'Contact center [00000000-0000-4000-8000-000000000000] cannot be found.' });

    const tooBig = await request(rws.url)
      .post('/api/v2/ops/contact-centers')
      .set('Authorization', rws.opsAuth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(6 * 1024 * 1024) }))
      .expect(413);
    expect(tooBig.body.statusCode).toBe(8);

    for (const res of [noAuth, malformed, invalid, unknown, tooBig]) expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('serves Prometheus metrics and the OpenAPI document', async () => {
    const metrics = await request(rws.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^# HELP rws_http_request_duration_seconds/m);
    const docs = await request(rws.url).get('/api/docs-json').expect(200);
    expect(docs.body.paths['/api/v2/ops/contact-centers']).toBeDefined();
  });
});
