import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
/** Git-ignored (.run/): every browser test leaves its screenshots here. */
export const SCREENSHOT_DIR = join(ROOT, '.run', 'screenshots');
/** Where docs/console.md finds the main pages; refreshed when CONSOLE_DOC_SCREENSHOTS=1. */
export const DOC_SCREENSHOT_DIR = join(ROOT, 'docs', 'console');

/** Debian's Chromium (scripts/install-system-deps.sh installs it), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/install-system-deps.sh (Debian's chromium) or set CHROMIUM_PATH`);
  return path;
}

/** A headless Chromium as the console's users get it, minus what a container lacks (GPU, sandbox, a sound card). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** A fresh browser context (its own cookies) at the size the console is designed for. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** Saves `name`.png under .run/screenshots (and into docs/console when asked, for the main pages). */
export async function screenshot(page: Page, name: string, options: { doc?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  if (options.doc && process.env.CONSOLE_DOC_SCREENSHOTS === '1') {
    mkdirSync(DOC_SCREENSHOT_DIR, { recursive: true });
    copyFileSync(file, join(DOC_SCREENSHOT_DIR, `${name}.png`));
  }
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, baseUrl: string, userName: string, password: string, path = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('User name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
