import type { Browser } from 'playwright-core';
import request from 'supertest';
import { makeTestCertificate } from '../support/x509-factory';
import { expectEventually, startTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { requireBuiltConsole } from './console-build';
import { launchChromium, newPage, screenshot, signIn } from './browser';
import { createOpsFixture, opsGet, RECORDER_HELLO, type OpsFixture } from './ops-fixture';

// A Chromium beside RWS on two shared cores.
jest.setTimeout(120_000);

const OPS = { userName: 'ops', password: 'ops-test-password' };

/** The operator pages in a real Chromium against RWS: every check of what a page did goes through the API. */
describe('console: operator pages in Chromium', () => {
  let rws: TestApp;
  let browser: Browser;
  let fixture: OpsFixture;
  const at = (path: string) => `${rws.url}/console/ops${path}?ccid=${fixture.ccid}`;

  beforeAll(async () => {
    requireBuiltConsole();
    rws = await startTestApp(testConfig());
    [browser, fixture] = await Promise.all([launchChromium(), createOpsFixture(rws)]);
  });
  afterAll(async () => {
    await fixture?.close();
    await browser?.close();
    await rws?.close();
  });

  it('signs the operator in to the health page: each dependency with its state, and the version', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.getByRole('heading', { name: 'Health', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/ops');
    const ready = (await request(rws.url).get('/health/ready').expect(200)).body as { dependencies: Record<string, unknown> };
    const table = page.getByRole('table', { name: 'Dependencies' });
    await table.getByRole('rowheader').first().waitFor();
    expect((await table.getByRole('rowheader').allTextContents()).sort()).toEqual(Object.keys(ready.dependencies).sort());
    expect(await table.getByText('Up', { exact: true }).count()).toBe(Object.keys(ready.dependencies).length);
    expect(await page.getByTestId('readiness').textContent()).toBe('Ready');
    const version = (await request(rws.url).get('/api/v2/diagnostics/version').expect(200)).body.version as string;
    await page.getByTestId('service-version').filter({ hasText: version }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const link of ['Recorders', 'Contact centers', 'Users and roles', 'Places and DNs', 'Certificates', 'Retention', 'Webhooks', 'Exports']) {
      await nav.getByRole('link', { name: link }).waitFor();
    }
    await screenshot(page, 'ops-health', { doc: true });
    await page.context().close();
  });

  it('uploads a certificate PEM from a file, activates it, and retires it when a newer one is activated at once', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.goto(at('/certificates'));
    await page.getByText('No certificates.').waitFor();

    // A certificate that is not PEM: the API's own message, and nothing stored.
    const refusal = await request(rws.url).post(`/api/v2/ops/contact-centers/${fixture.ccid}/certificates`).set('Authorization', rws.opsAuth).send({ certificate: 'not a certificate' }).expect(400);
    await page.getByLabel('Certificate (PEM)').fill('not a certificate');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('alert').filter({ hasText: refusal.body.statusMessage as string }).waitFor();
    expect((await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/certificates`)).certificates).toEqual([]);

    const first = makeTestCertificate({ commonName: 'northwind 2026' });
    await page.getByLabel('Certificate (PEM)').fill('');
    await page.getByLabel('or choose a certificate file').setInputFiles({ name: 'northwind.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(first.certificatePem) });
    await page.waitForFunction("document.getElementById('cert-pem').value.includes('BEGIN CERTIFICATE')");
    await page.getByLabel('Private key (PEM, optional)').fill(first.privateKeyPem);
    await page.getByLabel("Alias (default: the subject's CN)").fill('nw-2026');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: 'The certificate was uploaded.' }).waitFor();
    const row = page.getByTestId('certificate-nw-2026');
    await row.getByText('inactive', { exact: true }).waitFor();
    await row.getByText('private key held').waitFor();

    await page.getByRole('button', { name: 'Activate nw-2026' }).click();
    await row.getByText('active', { exact: true }).waitFor();
    const listed = (await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/certificates`)).certificates as { alias: string; status: string; hasPrivateKey: boolean; fingerprint256: string }[];
    expect(listed).toEqual([expect.objectContaining({ alias: 'nw-2026', status: 'active', hasPrivateKey: true, fingerprint256: first.x509.fingerprint256 })]);
    await screenshot(page, 'ops-certificates', { doc: true });

    const second = makeTestCertificate({ commonName: 'northwind 2027' });
    await page.getByLabel('Certificate (PEM)').fill(second.certificatePem);
    await page.getByLabel('Activate at once (retires the active certificate)').check();
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: 'uploaded and is active' }).waitFor();
    await row.getByText('retired', { exact: true }).waitFor();
    await page.getByTestId('certificate-northwind 2027').getByText('active', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Retire northwind 2027' }).click();
    await page.getByTestId('certificate-northwind 2027').getByText('retired', { exact: true }).waitFor();
    const after = (await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/certificates`)).certificates as { alias: string; status: string }[];
    expect(after.map((c) => [c.alias, c.status])).toEqual([
      ['nw-2026', 'retired'],
      ['northwind 2027', 'retired'],
    ]);
    await page.context().close();
  });

  it('creates a user, changes its role and deletes another; a taken name shows the API message', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.goto(at('/users'));
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByRole('rowheader', { name: fixture.leaver.userName }).waitFor();

    const userName = `olga-${Date.now() % 100000}`;
    await page.getByLabel('User name').fill(userName);
    await page.getByLabel('Password', { exact: true }).fill('olga-password-1');
    await page.getByLabel('Role', { exact: true }).selectOption('agent');
    await page.getByLabel('Agent id').fill('a-olga');
    await page.getByLabel('Agent hierarchy').fill('/EMEA/Support/olga');
    await page.getByLabel('decrypt').check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: `${userName} was created.` }).waitFor();
    await users.getByRole('rowheader', { name: userName }).waitFor();
    const userPath = `/api/v2/ops/contact-centers/${fixture.ccid}/users/${userName}`;
    expect((await opsGet(rws, userPath)).user).toMatchObject({ roles: ['agent'], agentId: 'a-olga', agentHierarchy: '/EMEA/Support/olga', permissions: ['decrypt'] });

    await page.getByLabel(`Role of ${userName}`).selectOption('supervisor');
    // Choosing is not saving (arrow keys walk a select's options): nothing changes until Save.
    expect((await opsGet(rws, userPath)).user).toMatchObject({ roles: ['agent'] });
    await page.getByRole('button', { name: `Save role of ${userName}` }).click();
    await page.getByRole('status').filter({ hasText: `${userName} is now supervisor.` }).waitFor();
    // The PUT replaces every attribute: the role changes, nothing else does.
    expect((await opsGet(rws, userPath)).user).toMatchObject({ roles: ['supervisor'], agentId: 'a-olga', agentHierarchy: '/EMEA/Support/olga', permissions: ['decrypt'] });

    await page.getByRole('button', { name: `Delete ${fixture.leaver.userName}` }).click();
    await page.getByRole('button', { name: `Confirm delete of ${fixture.leaver.userName}` }).click();
    await page.getByRole('status').filter({ hasText: `${fixture.leaver.userName} was deleted.` }).waitFor();
    await users.getByRole('rowheader', { name: fixture.leaver.userName }).waitFor({ state: 'detached' });
    await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/users/${fixture.leaver.userName}`, 404);

    const taken = await request(rws.url).post(`/api/v2/ops/contact-centers/${fixture.ccid}/users`).set('Authorization', rws.opsAuth).send({ userName, password: 'another-password' });
    expect(taken.status).toBeGreaterThanOrEqual(400);
    await page.getByLabel('User name').fill(userName);
    await page.getByLabel('Password', { exact: true }).fill('another-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('alert').filter({ hasText: taken.body.statusMessage as string }).waitFor();
    await page.getByLabel('User name').fill('');
    await page.getByLabel('Password', { exact: true }).fill('');
    await screenshot(page, 'ops-users', { doc: true });
    await page.context().close();
  });

  it('adds DNs and a place, dry-runs a retention policy, and shows a refused webhook URL with the API message', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.goto(at('/places'));
    const dn = `73${Date.now() % 100}`;
    await page.getByLabel('DN', { exact: true }).fill(dn);
    await page.getByRole('button', { name: 'Add DN' }).click();
    await page.getByRole('table', { name: 'DNs' }).getByRole('rowheader', { name: dn }).waitFor();
    await page.getByLabel('Place name').fill(`Place_${dn}`);
    await page.getByLabel('Its DNs').fill(dn);
    await page.getByLabel('Reserved for').fill(fixture.agent.userName);
    await page.getByRole('button', { name: 'Add place' }).click();
    await page.getByRole('table', { name: 'Places' }).getByRole('rowheader', { name: `Place_${dn}` }).waitFor();
    expect((await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/places/Place_${dn}`)).place).toMatchObject({ dns: [dn], agents: [fixture.agent.userName] });
    // A DN a place lists cannot go: the API's conflict, word for word.
    const inUse = await request(rws.url).delete(`/api/v2/ops/contact-centers/${fixture.ccid}/dns/${dn}`).set('Authorization', rws.opsAuth).expect(409);
    await page.getByRole('button', { name: `Delete DN ${dn}` }).click();
    await page.getByRole('alert').filter({ hasText: inUse.body.statusMessage as string }).waitFor();
    await screenshot(page, 'ops-places', { doc: true });

    await page.goto(at('/retention'));
    await page.getByLabel('Name').fill('support 30 days');
    await page.getByLabel("Days after the call's start").fill('30');
    await page.getByLabel('Partitions').fill('/support');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('status').filter({ hasText: 'support 30 days was created.' }).waitFor();
    const policies = (await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/retention-policies`)).policies;
    expect(policies).toEqual([expect.objectContaining({ name: 'support 30 days', enabled: false, match: { partitions: ['/support'] }, action: { type: 'delete', afterDays: 30 } })]);
    await page.getByRole('button', { name: 'Dry run of support 30 days' }).click();
    const summary = page.getByTestId('dry-run-summary');
    await summary.waitFor();
    expect(await summary.locator('dt', { hasText: 'Due now' }).locator('xpath=following-sibling::dd[1]').textContent()).toBe('0');
    await page.getByText('No run yet.').waitFor();
    await screenshot(page, 'ops-retention', { doc: true });

    await page.goto(at('/webhooks'));
    const refused = await request(rws.url).post(`/api/v2/ops/contact-centers/${fixture.ccid}/webhooks`).set('Authorization', rws.opsAuth).send({ url: 'http://127.0.0.1:9/hook', events: ['recording.deleted'] }).expect(400);
    await page.getByLabel('URL (https)').fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('alert').filter({ hasText: refused.body.statusMessage as string }).waitFor();
    await page.getByText('No subscriptions.').waitFor();
    await screenshot(page, 'ops-webhooks');
    await page.context().close();
  });

  it('creates a contact center with one feature and enables the other one', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.goto(`${rws.url}/console/ops/contact-centers`);
    const name = `Contoso ${Date.now() % 100000}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('/api/api-supervisor-recording', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Create contact center' }).click();
    await page.getByRole('status').filter({ hasText: `${name} was created.` }).waitFor();
    const row = page.getByRole('table', { name: 'Contact centers' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    const ccid = (await row.locator('td.mono').textContent())!;
    expect(await opsGet(rws, `/api/v2/ops/contact-centers/${ccid}/features`)).toMatchObject({ uris: ['/api/api-voice-recording'] });
    await page.getByRole('button', { name: `Enable /api/api-supervisor-recording for ${name}` }).click();
    await page.getByRole('status').filter({ hasText: `/api/api-supervisor-recording is enabled for ${name}.` }).waitFor();
    expect(((await opsGet(rws, `/api/v2/ops/contact-centers/${ccid}/features`)).uris as string[]).sort()).toEqual(['/api/api-supervisor-recording', '/api/api-voice-recording']);
    await row.getByRole('button').waitFor({ state: 'detached' });
    await screenshot(page, 'ops-contact-centers', { doc: true });
    await page.context().close();
  });

  it('names every control and table of every operator page, and works from the keyboard', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    for (const path of ['', '/recorders', '/contact-centers', '/users', '/places', '/certificates', '/retention', '/webhooks', '/exports']) {
      await page.goto(at(path));
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('table, p:has-text("No ")').first().waitFor();
      // Each input, select, textarea and button has a name a screen reader reads out; each table a caption-like label.
      const { checked, unnamed } = (await page.evaluate(`(() => {
        const all = [...document.querySelectorAll('main input, main select, main textarea, main button, main table')];
        const named = (el) => el.getAttribute('aria-label') || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label') || (el.tagName === 'BUTTON' && el.textContent.trim());
        return { checked: all.length, unnamed: all.filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 80)) };
      })()`)) as { checked: number; unnamed: string[] };
      expect([path, unnamed]).toEqual([path, []]);
      expect(checked).toBeGreaterThan(1);
      expect(await page.title()).toMatch(/ · RWS console$/);
    }
    // Keyboard only: from the DN field, type, Tab to the switch, Enter submits; the outcome is announced.
    await page.goto(at('/places'));
    const dn = `74${Date.now() % 100}`;
    await page.getByLabel('DN', { exact: true }).focus();
    await page.keyboard.type(dn);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('new-dn-switch');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `DN ${dn} was added.` }).waitFor();
    expect((await opsGet(rws, `/api/v2/ops/contact-centers/${fixture.ccid}/dns/${dn}`)).dn).toMatchObject({ dn, switch: 'SIP_Switch' });
    await page.context().close();
  });

  it('creates an archive export and downloads it; an export without a filter shows the API message', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.goto(at('/exports'));
    await page.getByText('No export jobs.').waitFor();
    const exportsPath = `/api/v2/ops/contact-centers/${fixture.ccid}/exports`;
    const unfiltered = await request(rws.url).post(exportsPath).set('Authorization', rws.opsAuth).send({ filters: {}, target: { type: 'archive', format: 'tar' }, media: 'stored', verify: false });
    expect(unfiltered.status).toBe(400);
    await page.getByRole('button', { name: 'Create export' }).click();
    await page.getByRole('alert').filter({ hasText: unfiltered.body.statusMessage as string }).waitFor();

    await page.getByLabel('Agent id').fill('a-nadia');
    await page.getByRole('button', { name: 'Create export' }).click();
    await page.getByRole('status').filter({ hasText: 'The export job was created.' }).waitFor();
    const jobs = (await opsGet(rws, exportsPath)).exports as { id: string; state: string; selection: unknown }[];
    expect(jobs).toEqual([expect.objectContaining({ state: 'ready', selection: expect.objectContaining({ filters: { agentId: 'a-nadia' } }) })]);
    const row = page.getByTestId(`export-${jobs[0].id}`);
    await row.getByText('ready', { exact: true }).waitFor();
    const download = row.getByRole('link', { name: 'Download archive' });
    expect(await download.getAttribute('href')).toBe(`${exportsPath}/${encodeURIComponent(jobs[0].id)}/archive`);
    // The link is a same-origin GET on the session: the browser's cookie is enough to fetch the tar.
    const tar = await page.request.get(`${rws.url}${await download.getAttribute('href')}`);
    expect([tar.status(), tar.headers()['content-type']]).toEqual([200, 'application/x-tar']);
    await screenshot(page, 'ops-exports', { doc: true });
    await page.context().close();
  });

  it('shows who has a recorder connected, its version and state, and drops it once it disconnects', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, OPS.userName, OPS.password);
    await page.goto(at('/recorders'));
    const table = page.getByRole('table', { name: 'Connected recorders' });
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: fixture.agent.userName }) });
    await row.waitFor();
    for (const text of ['a-nadia', RECORDER_HELLO.clientVersion, RECORDER_HELLO.platform, RECORDER_HELLO.hostname]) {
      await row.getByRole('cell', { name: text, exact: true }).waitFor();
    }
    await page.getByRole('status').filter({ hasText: '1 connected' }).waitFor();
    await screenshot(page, 'ops-recorders', { doc: true });

    await fixture.recorder.disconnect();
    // The page reads on request (Refresh), so it shows the disconnect once the server has seen it.
    await expectEventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText('No connected recorders.').waitFor({ timeout: 500 });
    });
    await page.context().close();
  });
});
