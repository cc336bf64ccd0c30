import request from 'supertest';
import { CONSOLE_CSP } from '../../src/console/console-assets';
import { startTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { requireBuiltConsole } from './console-build';

/** How RWS serves the built console at /console/ (run `npm run build` first; the test command does). */
describe('console serving', () => {
  let rws: TestApp;
  let assetPath: string;

  beforeAll(async () => {
    assetPath = requireBuiltConsole().scriptPath;
    rws = await startTestApp(testConfig());
  });
  afterAll(() => rws?.close());

  it('answers index.html for client routes, never cached, under a CSP without inline script', async () => {
    for (const path of ['/console/', '/console/recordings', '/console/recordings/CALL-1?ccid=x', '/console/ops/anything']) {
      const res = await request(rws.url).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(CONSOLE_CSP).toContain("script-src 'self'");
      expect(CONSOLE_CSP).not.toContain('unsafe-inline');
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    await request(rws.url).get('/console').expect(301).expect('Location', '/console/');
  });

  it('serves hashed assets for a year and answers a missing one 404 in the envelope', async () => {
    const asset = await request(rws.url).get(assetPath).expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const missing = await request(rws.url).get('/console/assets/missing-0000.js').expect(404);
    expect(missing.body).toEqual({ statusCode: 6, statusMessage: expect.any(String) });
  });

  it('leaves the Basic challenge out of 401s to the console, so no browser dialog covers its sign-in form', async () => {
    const scripted = await request(rws.url).get('/api/v2/me').set('X-Requested-With', 'XMLHttpRequest').expect(401);
    expect(scripted.headers['www-authenticate']).toBeUndefined();
    expect(scripted.body).toEqual({ statusCode: 1, statusMessage: 'Authentication required.' });
    const plain = await request(rws.url).get('/api/v2/me').expect(401);
    expect(plain.headers['www-authenticate']).toBe('Basic realm="RWS"');
  });
});
