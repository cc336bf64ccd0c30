import type { Browser, Page } from 'playwright-core';
import { createIdentityFixture, type IdentityFixture, type TestUser } from '../support/identity-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { requireBuiltConsole } from './console-build';
import { launchChromium, newPage, screenshot, signIn } from './browser';

jest.setTimeout(120_000);

/** What the API answers this browser session (its cookie, its CSRF token) for one request. */
async function asSession(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: { statusCode?: number; statusMessage?: string } }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
      const me = await fetch('/api/v2/me', { headers });
      headers['X-CSRF-TOKEN'] = me.headers.get('X-CSRF-TOKEN') ?? '';
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { statusCode?: number; statusMessage?: string } };
    },
    { method, path, body },
  );
}

/** Agents and supervisors get no operator section, and the API behind it refuses their sessions. */
describe('console: the operator section is the ops account’s', () => {
  let rws: TestApp;
  let browser: Browser;
  let people: IdentityFixture;

  beforeAll(async () => {
    requireBuiltConsole();
    rws = await startTestApp(testConfig());
    [browser, people] = await Promise.all([launchChromium(), createIdentityFixture(rws)]);
  });
  afterAll(async () => {
    await browser?.close();
    await rws?.close();
  });

  const cases: [string, string, (f: IdentityFixture) => TestUser][] = [
    ['a supervisor', 'supervisor', (f) => f.sue],
    ['an agent', 'agent', (f) => f.alice],
  ];
  it.each(cases)('%s sees no operator navigation, is told so at its addresses, and the API refuses its session', async (_who, kind, pick) => {
    const user = pick(people);
    const page = await newPage(browser);
    await signIn(page, rws.url, user.userName, user.password);
    await page.getByRole('heading', { name: 'Search recordings' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Search' }).waitFor();
    expect(await nav.getByText('Operations').count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Certificates' }).count()).toBe(0);

    for (const path of ['/ops', '/ops/users', '/ops/certificates', '/ops/recorders']) {
      await page.goto(`${rws.url}/console${path}?ccid=${people.ccid}`);
      await page.getByRole('alert').filter({ hasText: 'These pages are for the operator account.' }).waitFor();
      expect(await page.getByRole('table').count()).toBe(0);
    }
    await screenshot(page, `ops-refused-${kind}`);

    const cc = `/api/v2/ops/contact-centers/${people.ccid}`;
    for (const path of [`${cc}/users`, `${cc}/recorders`, `${cc}/places`, `${cc}/retention-policies`, `${cc}/webhooks`, '/api/v2/ops/contact-centers']) {
      const answer = await asSession(page, 'GET', path);
      expect([path, answer.status, answer.body.statusCode]).toEqual([path, 403, 5]);
    }
    const create = await asSession(page, 'POST', `${cc}/users`, { userName: `intruder-${kind}`, password: 'intruder-password', roles: ['admin'] });
    expect([create.status, create.body.statusCode]).toEqual([403, 5]);
    // Certificates admit the contact center's own users with manageCertificates; these have not got it.
    const upload = await asSession(page, 'POST', `${cc}/certificates`, { certificate: 'x' });
    expect(upload.status).toBe(403);
    await page.context().close();
  });
});
