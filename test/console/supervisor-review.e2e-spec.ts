import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { launchChromium, newPage, screenshot, signIn } from './browser';
import { requireBuiltConsole } from './console-build';
import { CALL, createReviewFixture, type ReviewFixture } from './review-fixture';

// Cassandra, WebDAV and a Chromium on two shared cores.
jest.setTimeout(120_000);

/** What the tests touch of an <audio>/<video> element (the root tsconfig has no DOM types). */
interface MediaClock {
  currentTime: number;
}

/** The two media elements' clocks, read in one go. */
async function clocks(page: Page): Promise<{ voice: number; screen: number }> {
  const [voice, screen] = await page
    .locator('[data-testid=voice-media], [data-testid=screen-media]')
    .evaluateAll((elements) => elements.map((e) => [e.getAttribute('data-testid'), (e as unknown as MediaClock).currentTime] as const));
  const of = (id: string) => [voice, screen].find(([testId]) => testId === id)![1];
  return { voice: of('voice-media'), screen: of('screen-media') };
}

/** The call clock the transport shows (m:ss, whole seconds). */
async function callSeconds(page: Page): Promise<number> {
  const [minutes, seconds] = (await page.getByTestId('call-clock').textContent())!.split(' / ')[0].split(':').map(Number);
  return minutes * 60 + seconds;
}

/** Which file each element is playing. */
async function sources(page: Page): Promise<{ voice: string | null; screen: string | null }> {
  return { voice: await page.getByTestId('voice-media').getAttribute('src'), screen: await page.getByTestId('screen-media').getAttribute('src') };
}

/** Sets one element's position, as a script or the element's own controls would. */
async function seekElement(page: Page, testId: 'voice-media' | 'screen-media', seconds: number): Promise<void> {
  await page.getByTestId(testId).evaluate((e, t) => ((e as unknown as MediaClock).currentTime = t), seconds);
}

/**
 * Waits until `probe` holds in the page (media events settle on their own schedule). `seconds` is a budget,
 * not a timing claim: a loaded machine plays media slower than real time.
 */
async function until(page: Page, probe: () => Promise<boolean>, what: string, seconds = 10): Promise<void> {
  for (let i = 0; i < seconds * 20; i++) {
    if (await probe()) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; the page then: ${await mediaReport(page)}`);
}

/** Keeps the media elements' last events in the page, for mediaReport. */
async function recordMediaEvents(page: Page): Promise<void> {
  await page.locator('[data-testid=voice-media], [data-testid=screen-media]').evaluateAll((elements) => {
    const log: string[] = [];
    (globalThis as unknown as { mediaEvents: string[] }).mediaEvents = log;
    for (const e of elements) {
      for (const type of ['seeking', 'seeked', 'play', 'pause', 'ended', 'emptied', 'waiting', 'playing']) {
        e.addEventListener(type, () => {
          const clock = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=call-clock]')?.textContent;
          log.push(`${Math.round(performance.now())} ${e.getAttribute('data-testid')} ${type} t=${(e as unknown as MediaClock).currentTime.toFixed(3)} (${clock})`);
          if (log.length > 80) log.shift();
        });
      }
    }
  });
}

/** What each media element was doing and its last events (a timeout names the one that held the call clock). */
async function mediaReport(page: Page): Promise<string> {
  const elements = await page.locator('[data-testid=voice-media], [data-testid=screen-media]').evaluateAll((list) =>
    list.map((e) => {
      const m = e as unknown as MediaClock & { readyState: number; networkState: number; paused: boolean; ended: boolean; seeking: boolean; duration: number; error: { code: number } | null };
      return `${e.getAttribute('data-testid')} src=${e.getAttribute('src')} t=${m.currentTime} ready=${m.readyState} net=${m.networkState} paused=${m.paused} ended=${m.ended} seeking=${m.seeking} duration=${m.duration} error=${m.error?.code ?? '-'}`;
    }),
  );
  const events = await page.evaluate(() => (globalThis as unknown as { mediaEvents?: string[] }).mediaEvents ?? []);
  return `clock ${await page.getByTestId('call-clock').textContent()}; ${elements.join('; ')}\nlast events:\n${events.join('\n')}`;
}

/**
 * The console in a real Chromium against RWS on Cassandra and WebDAV: a supervisor finds a call, replays its
 * voice and screen in sync, labels it and puts it on hold; an agent sees only her own calls.
 */
describe('console: supervisor review in Chromium', () => {
  let rws: TestApp;
  let browser: Browser;
  let fixture: ReviewFixture;

  beforeAll(async () => {
    requireBuiltConsole();
    rws = await startTestApp(testConfig({ metadata: 'cassandra', storage: 'webdav' }));
    [browser, fixture] = await Promise.all([launchChromium(), createReviewFixture(rws)]);
  });
  afterAll(async () => {
    await browser?.close();
    await rws?.close();
  });

  it('signs a supervisor in, refuses a wrong password with the API message, and signs out', async () => {
    const page = await newPage(browser);
    await page.goto(`${rws.url}/console/`);
    await page.getByLabel('User name').fill(fixture.supervisor.userName);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid credentials.' }).waitFor();
    await screenshot(page, 'sign-in', { doc: true });
    await page.getByLabel('Password').fill(fixture.supervisor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Search recordings' }).waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toContain(fixture.supervisor.userName);
    // A reload keeps the session (the cookie), and the search page is a client route served by the SPA fallback.
    await page.reload();
    await page.getByRole('heading', { name: 'Search recordings' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    await page.reload();
    await page.getByLabel('User name').waitFor();
    await page.context().close();
  });

  it('searches with a phone pattern and a time window, opens the call and plays voice and screen in sync', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, fixture.supervisor.userName, fixture.supervisor.password);
    await page.getByLabel('Caller number').fill(`${fixture.callerNumber.slice(0, 8)}*`);
    await page.getByLabel('Agent id').fill('a-alice');
    const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('From').fill(local(new Date(fixture.startedAt.getTime() - 60_000)));
    await page.getByLabel('To').fill(local(new Date(fixture.startedAt.getTime() + 60_000)));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const link = page.getByRole('link', { name: new RegExp(`Recording ${fixture.aliceCall}`) });
    await link.waitFor();
    expect(await page.getByRole('link', { name: new RegExp(`Recording ${fixture.bobCall}`) }).count()).toBe(0);
    await screenshot(page, 'search', { doc: true });

    await link.click();
    await page.getByRole('heading', { name: `Recording ${fixture.aliceCall}` }).waitFor();
    await page.getByTestId('voice-media').waitFor({ state: 'attached' });
    expect(await page.locator('[data-testid=track-screen] .segment').count()).toBe(CALL.screen.length);
    expect(await page.locator('[data-testid=track-voice] .gap').count()).toBe(1);
    expect(await page.getByTestId('pauses').textContent()).toContain('0:08–0:12');

    await recordMediaEvents(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await until(page, async () => (await clocks(page)).voice > 1, 'the voice to play a second');
    for (let sample = 0; sample < 10; sample++) {
      const { voice, screen } = await clocks(page);
      expect(Math.abs(voice - screen)).toBeLessThan(0.25);
      await page.waitForTimeout(100);
    }
    const before = await clocks(page);
    await until(page, async () => (await clocks(page)).screen > before.screen + 0.5, 'the screen to advance');
    await screenshot(page, 'recording', { doc: true });

    const firstSources = await sources(page);
    const transport = page.getByRole('button', { name: /^(Play|Pause)$/ });

    // Seeking either element moves the other (paused here, so nothing moves on its own while the test looks;
    // back to 0:01 first, as a loaded machine may have played on into the pause).
    await transport.click();
    await page.getByLabel('Position in the call').fill('1');
    await until(page, async () => Math.abs((await clocks(page)).voice - 1) < 0.05 && (await sources(page)).voice === firstSources.voice, 'the voice at 0:01');
    await seekElement(page, 'voice-media', 5);
    await until(page, async () => Math.abs((await clocks(page)).screen - 5) < 0.05, 'the screen to follow the voice to 0:05');
    await seekElement(page, 'screen-media', 2);
    await until(page, async () => Math.abs((await clocks(page)).voice - 2) < 0.05, 'the voice to follow the screen to 0:02');

    // Playing, on a slow machine a frame of the call clock runs while the user's seek is still in flight: it
    // must not undo it. A throttled renderer makes that the usual case. From 0:00.3 the screen is sought
    // ahead to 0:06.5; the page notes whether the voice is then sought far ahead too (playing on, it is never
    // sought at all), since a throttled page answers the test's polls too late to catch it in passing; the
    // target is read when its seek starts, as late as the throttled page gets to it.
    const media = page.locator('[data-testid=voice-media], [data-testid=screen-media]');
    await media.evaluateAll((elements, first) => {
      const voice = elements.find((e) => e.getAttribute('data-testid') === 'voice-media')!;
      const noted = globalThis as unknown as { voiceWhenScreenSought?: number; voiceFollowed?: boolean };
      voice.addEventListener('seeking', () => {
        const from = noted.voiceWhenScreenSought;
        const to = (voice as unknown as MediaClock).currentTime;
        noted.voiceFollowed ||= from !== undefined && voice.getAttribute('src') === first && to >= 6.3 && to - from > 1.5;
      });
    }, firstSources.voice);
    await seekElement(page, 'voice-media', 0.3);
    await until(page, async () => Math.abs((await clocks(page)).screen - 0.3) < 0.05, 'the screen to follow the voice to 0:00.3');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    await transport.click();
    await media.evaluateAll((elements) => {
      const [voice, screen] = ['voice-media', 'screen-media'].map((id) => elements.find((e) => e.getAttribute('data-testid') === id) as unknown as MediaClock);
      (globalThis as unknown as { voiceWhenScreenSought?: number }).voiceWhenScreenSought = voice.currentTime;
      screen.currentTime = 6.5;
    });
    await until(page, () => page.evaluate(() => (globalThis as unknown as { voiceFollowed?: boolean }).voiceFollowed === true), 'the playing voice to follow the screen to 0:06.5');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await until(page, async () => {
      const { voice, screen } = await clocks(page);
      return Math.abs(voice - screen) < 0.25;
    }, 'voice and screen to play in step again');

    // Through the pause (0:08–0:12) into the second voice file and the second screen recording.
    // The position slider, not an element: on a loaded machine the call may have played on past the first file.
    await page.getByLabel('Position in the call').fill('7');
    await page.getByText('No screen recorded at this point of the call.').waitFor();
    // Both elements move on to the second file once the clock has crossed the pause (then stay there).
    await until(page, async () => {
      const now = await sources(page);
      return now.voice !== firstSources.voice && now.screen !== firstSources.screen && (await callSeconds(page)) >= 13;
    }, 'the second voice file and screen recording', 40);
    if ((await transport.textContent()) === 'Pause') await transport.click();
    const secondSources = await sources(page);
    expect(secondSources.voice).not.toBe(firstSources.voice);
    expect(secondSources.screen).not.toBe(firstSources.screen);
    const second = await clocks(page);
    expect(second.voice).toBeGreaterThan(0.5);
    expect(Math.abs(second.voice - second.screen)).toBeLessThan(0.25);
    await page.context().close();
  });

  it('pages through results with the API page token, forwards and back', async () => {
    const page = await newPage(browser);
    // Both calls share the caller number; one result per page makes two pages.
    await signIn(page, rws.url, fixture.supervisor.userName, fixture.supervisor.password, `/console/recordings?callerPhoneNumber=${encodeURIComponent(fixture.callerNumber)}&limit=1`);
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    const first = await rows.first().getByRole('link').getAttribute('aria-label');
    expect(await rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL(/pageToken=/);
    await until(page, async () => (await rows.first().getByRole('link').getAttribute('aria-label')) !== first, 'the second page');
    const second = await rows.first().getByRole('link').getAttribute('aria-label');
    const ids = [first, second].map((label) => /Recording (\S+) of/.exec(label ?? '')?.[1]);
    expect(ids.sort()).toEqual([fixture.aliceCall, fixture.bobCall].sort());
    await page.getByRole('button', { name: 'Previous page' }).click();
    await until(page, async () => (await rows.first().getByRole('link').getAttribute('aria-label')) === first, 'the first page again');
    await page.context().close();
  });

  it("shows the API's message when a call's media cannot be played", async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, fixture.supervisor.userName, fixture.supervisor.password, `/console/recordings/${fixture.lostCall}`);
    const answer = await fetch(`${rws.url}/api/v2/recordings/${fixture.lostCall}`, { headers: { Authorization: fixture.supervisor.basic } });
    const { recording } = (await answer.json()) as { recording: { mediaFiles: { playPath: string }[] } };
    const play = await fetch(`${rws.url}/api/v2${recording.mediaFiles[0].playPath}`, { headers: { Authorization: fixture.supervisor.basic } });
    const { statusMessage } = (await play.json()) as { statusMessage: string };
    expect(play.status).toBeGreaterThanOrEqual(400);
    await page.getByRole('alert').filter({ hasText: `Voice: ${statusMessage}` }).waitFor();
    await screenshot(page, 'recording-media-error');
    await page.context().close();
  });

  it('adds a label, places and removes a legal hold', async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, fixture.supervisor.userName, fixture.supervisor.password, `/console/recordings/${fixture.aliceCall}`);
    await page.getByRole('heading', { name: `Recording ${fixture.aliceCall}` }).waitFor();
    await page.getByLabel('Add label').selectOption(fixture.label);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('labels').getByText(fixture.label).waitFor();
    await page.getByRole('button', { name: 'Place on hold' }).click();
    await page.getByTestId('hold-state').filter({ hasText: 'On hold' }).waitFor();
    await screenshot(page, 'recording-labelled-held', { doc: true });

    const held = await fetchRecording(fixture.aliceCall);
    expect(held.labels).toContain(fixture.label);
    expect(held.nonDelete).toBe(true);

    await page.getByRole('button', { name: 'Remove hold' }).click();
    await page.getByTestId('hold-state').filter({ hasText: 'Not on hold' }).waitFor();
    expect((await fetchRecording(fixture.aliceCall)).nonDelete).toBe(false);
    await page.context().close();
  });

  it("shows the ops account the recording's audit trail: the supervisor's plays and holds", async () => {
    // The supervisor's own acts, through the API, so this test stands on its own.
    const auth = { Authorization: fixture.supervisor.basic, 'Content-Type': 'application/json' };
    const { recording } = (await (await fetch(`${rws.url}/api/v2/recordings/${fixture.aliceCall}`, { headers: auth })).json()) as { recording: { mediaFiles: { playPath: string }[] } };
    expect((await fetch(`${rws.url}/api/v2${recording.mediaFiles[0].playPath}`, { headers: { ...auth, Range: 'bytes=0-99' } })).status).toBe(206);
    for (const operationName of ['applyNonDelete', 'removeNonDelete']) {
      const res = await fetch(`${rws.url}/api/v2/recordings/${fixture.aliceCall}`, { method: 'POST', headers: auth, body: JSON.stringify({ operationName }) });
      expect(res.status).toBe(200);
    }
    const page = await newPage(browser);
    const path = `/console/recordings/${fixture.aliceCall}?ccid=${fixture.people.ccid}`;
    await signIn(page, rws.url, rws.config.ops.username ?? 'ops', rws.config.ops.password ?? '', path);
    const trail = page.getByTestId('audit-trail');
    await trail.waitFor();
    // The ops account names the contact center on every media request too: both elements load, nothing fails.
    for (const testId of ['voice-media', 'screen-media']) {
      await until(page, async () => (await page.getByTestId(testId).evaluate((e) => (e as unknown as { readyState: number }).readyState)) >= 1, `${testId} to load for ops`);
    }
    expect(await page.getByRole('alert').count()).toBe(0);
    for (const action of ['play', 'applyNonDelete', 'removeNonDelete']) {
      await trail.locator('tr', { hasText: fixture.supervisor.userName }).filter({ hasText: action }).first().waitFor();
    }
    expect(await trail.locator('tr', { hasText: fixture.bobCall }).count()).toBe(0);
    await trail.scrollIntoViewIfNeeded();
    await screenshot(page, 'recording-audit-trail', { doc: true });
    await page.context().close();
  });

  it("does not show an agent another agent's call", async () => {
    const page = await newPage(browser);
    await signIn(page, rws.url, fixture.people.alice.userName, fixture.people.alice.password);
    await page.getByLabel('CallUUID').fill(fixture.bobCall);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No recordings match.').waitFor();
    await page.getByLabel('CallUUID').fill(fixture.aliceCall);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: new RegExp(`Recording ${fixture.aliceCall}`) }).waitFor();

    await page.goto(`${rws.url}/console/recordings/${fixture.bobCall}`);
    await page.getByRole('alert').filter({ hasText: `Requested recording [${fixture.bobCall}] cannot be found.` }).waitFor();
    expect(await page.getByTestId('voice-media').count()).toBe(0);
    await screenshot(page, 'agent-refused');
    await page.context().close();
  });

  async function fetchRecording(id: string): Promise<{ labels: string[]; nonDelete: boolean }> {
    const res = await fetch(`${rws.url}/api/v2/recordings/${id}`, { headers: { Authorization: fixture.supervisor.basic } });
    return ((await res.json()) as { recording: { labels: string[]; nonDelete: boolean } }).recording;
  }
});
