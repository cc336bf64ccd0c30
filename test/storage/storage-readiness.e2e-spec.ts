import { STORAGE_BACKENDS, testConfig } from '../support/test-config';
import { startTestApp, TestApp } from '../support/test-app';

/** /health/ready reports recording storage, on each backend, and a WebDAV that refuses our credentials as down. */
describe('storage readiness', () => {
  let app: TestApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each(STORAGE_BACKENDS)('reports %s storage as up', async (backend) => {
    app = await startTestApp(testConfig({ storage: backend }));
    const res = await fetch(`${app.url}/health/ready`);
    const body = (await res.json()) as { dependencies: Record<string, { status: string }> };
    expect(body.dependencies.storage).toMatchObject({ status: 'up' });
  });

  it('reports WebDAV with wrong credentials as down, saying why', async () => {
    app = await startTestApp(testConfig({ storage: 'webdav', env: { WEBDAV_PASSWORD: 'not-the-password' } }));
    const res = await fetch(`${app.url}/health/ready`);
    const body = (await res.json()) as { dependencies: Record<string, { status: string; error?: string }> };
    expect(res.status).toBe(503);
    expect(body.dependencies.storage.status).toBe('down');
    expect(body.dependencies.storage.error).toMatch(/refused access \(HTTP 401\)/);
    expect(JSON.stringify(body)).not.toContain('not-the-password');
  });

  it('reports an unreachable WebDAV as down', async () => {
    app = await startTestApp(testConfig({ storage: 'webdav', env: { WEBDAV_URL: 'http://127.0.0.1:1/recordings/' } }));
    const res = await fetch(`${app.url}/health/ready`);
    const body = (await res.json()) as { dependencies: Record<string, { status: string; error?: string }> };
    expect(body.dependencies.storage).toMatchObject({ status: 'down' });
    expect(body.dependencies.storage.error).toMatch(/WebDAV cannot be reached/);
  });
});
