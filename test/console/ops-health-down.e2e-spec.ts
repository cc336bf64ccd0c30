import type { Browser } from 'playwright-core';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { launchChromium, newPage, screenshot, signIn } from './browser';
import { requireBuiltConsole } from './console-build';

jest.setTimeout(120_000);

/**
 * A node whose crypto service is unreachable (nothing listens on its port): /health/ready answers 503, and the
 * health page shows that answer — which dependency is down and why — rather than failing as a page.
 */
describe('console: health page of a node with a dependency down', () => {
  let rws: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltConsole();
    const env = { RWS_CRYPTO_URL: 'http://127.0.0.1:1', RWS_CRYPTO_SERVICE_TOKEN: 'console-health-test-token-0123456789abcdef' };
    [rws, browser] = await Promise.all([startTestApp(testConfig({ env })), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await rws?.close();
  });

  it('shows the node not ready, the crypto service down with its error, and the others up', async () => {
    const probe = await request(rws.url).get('/health/ready').expect(503);
    const crypto = probe.body.dependencies.crypto as { status: string; error: string };
    expect(crypto.status).toBe('down');
    const page = await newPage(browser);
    await signIn(page, rws.url, 'ops', 'ops-test-password');
    await page.getByRole('heading', { name: 'Health', level: 1 }).waitFor();
    await page.getByTestId('readiness').filter({ hasText: 'Not ready' }).waitFor();
    const row = page.getByRole('table', { name: 'Dependencies' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'crypto' }) });
    await row.getByText('Down', { exact: true }).waitFor();
    await row.getByRole('cell', { name: crypto.error }).waitFor();
    const up = Object.values(probe.body.dependencies as Record<string, { status: string }>).filter((d) => d.status === 'up').length;
    expect(await page.getByRole('table', { name: 'Dependencies' }).getByText('Up', { exact: true }).count()).toBe(up);
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'ops-health-down');
    await page.context().close();
  });
});
