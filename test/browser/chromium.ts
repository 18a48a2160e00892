/**
 * @module test/browser/chromium: Debian's chromium driven by playwright-core, launched the one way every browser test
 * uses: headless, no sandbox (CI runs as root), nothing reaching the network but loopback, a fresh profile.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser (`.ci/apt-packages` installs it in CI). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags of every launch: no GPU, no background traffic, and a resolver that knows only loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
] as const;

/** Screenshots of the browser tests. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'browser');

/** A browser with one page; `close()` also deletes the profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages the page logged as errors and uncaught exceptions, for assertions and failure messages. */
  readonly pageErrors: string[];
  /** Saves a full-page screenshot as `test-output/browser/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches chromium with a fresh user-data-dir and opens one page of `width`×`height`.
 * @throws Error naming the missing package when `/usr/bin/chromium` is not installed.
 */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `chromium is not installed (${CHROMIUM_PATH} is missing): the browser tests drive Debian's chromium. ` +
        'Install it with `apt-get install -y chromium` (CI installs it from .ci/apt-packages).',
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'mqs-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
      viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
      // Headless from the flags above, as given.
      headless: true,
      timeout: 60_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    pageErrors,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
