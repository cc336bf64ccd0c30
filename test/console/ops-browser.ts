import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
/** Under .run/ (git-ignored): the operator suites' screenshots. */
const SHOTS = join(ROOT, '.run', 'screenshots');
/** docs/console.md shows these; refreshed only when CONSOLE_DOC_SCREENSHOTS=1 (a normal run leaves the docs alone). */
const DOC_SHOTS = join(ROOT, 'docs', 'console');

/** Debian's chromium (scripts/install-system-deps.sh), or CHROMIUM_PATH. */
function chromiumExecutable(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: run scripts/install-system-deps.sh or set CHROMIUM_PATH`);
  return path;
}

/** Headless Chromium; a container has no GPU and no usable sandbox or /dev/shm. */
export function startChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page with cookies of its own, at the 1280×800 the console is laid out for. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** The sign-in form, filled as a person would; resolves once the shell shows. */
export async function signInAs(page: Page, baseUrl: string, userName: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('User name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** `ops-<name>.png` under .run/screenshots, and into docs/console when refreshing the docs' pictures. */
export async function saveScreenshot(page: Page, name: string, forDocs = false): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `ops-${name}.png`);
  await page.screenshot({ path: file });
  if (forDocs && process.env.CONSOLE_DOC_SCREENSHOTS === '1') {
    mkdirSync(DOC_SHOTS, { recursive: true });
    copyFileSync(file, join(DOC_SHOTS, `ops-${name}.png`));
  }
}
