import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core: no test tool ever downloads a browser. When it
 * is missing, browser tests skip with the reason, unless PARLEY_REQUIRE_SERVICES is set.
 */
function findChromium(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export const chromiumPath = findChromium();
if (!chromiumPath) {
  const why = 'Chromium is not installed (apt-get install -y chromium)';
  if (process.env.PARLEY_REQUIRE_SERVICES) throw new Error(`${why}, and PARLEY_REQUIRE_SERVICES is set`);
  console.warn(`skipping browser tests: ${why}`);
}
export const hasChromium = chromiumPath !== undefined;

/** Playwright gives every launch a fresh, empty --user-data-dir of its own and removes it after. */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export const ARTIFACTS = join(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** Saves a screenshot under test/artifacts/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let opening animations finish, so the picture shows the state and not a transition (one
  // cancelled on the way, by a re-render, rejects its promise: it is over all the same).
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Collects the page's console errors and uncaught exceptions, to assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  return errors;
}
