import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { type HostPages, startHostPages } from './host-page.js';
import type { Parley } from './server.js';
import { STORE_KITS } from './stores.js';
import { startWidgetServer } from './widget-server.js';

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Open the page in this page's browser context (another tab of the same browser). */
  context?: Page;
  reducedMotion?: 'reduce';
  /** A phone's touch screen: `(pointer: coarse)` matches. */
  touch?: boolean;
  /** The system's colour scheme, as `prefers-color-scheme` reports it. */
  colorScheme?: 'light' | 'dark';
}

export interface WidgetSuite {
  readonly parley: Parley;
  readonly hosts: HostPages;
  /** A page in a fresh browser context, closed after the test. */
  newPage(options?: PageOptions): Promise<Page>;
}

/**
 * What every browser test file needs, set up once per file: host pages on their own loopback
 * origin, a Parley server serving the built widget, and Debian's Chromium. Call it inside a
 * `describe`; it registers the hooks that start and stop them.
 */
export function widgetSuite(): WidgetSuite {
  let parley: Parley | undefined;
  let hosts: HostPages | undefined;
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    hosts = await startHostPages();
    parley = await startWidgetServer(STORE_KITS[0]!, hosts.origin);
    ({ browser, close: closeBrowser } = await launchBrowser());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await parley?.close();
    await hosts?.close();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context().close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the widget suite has not started (use it inside a test)');
    return value;
  };
  return {
    get parley() {
      return started(parley);
    },
    get hosts() {
      return started(hosts);
    },
    async newPage(options = {}) {
      const context =
        options.context?.context() ??
        (await started(browser).newContext({
          viewport: options.viewport ?? { width: 1280, height: 720 },
          ...(options.reducedMotion ? { reducedMotion: options.reducedMotion } : {}),
          ...(options.touch ? { hasTouch: true, isMobile: true } : {}),
          ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
        }));
      const page = await context.newPage();
      pages.push(page);
      return page;
    },
  };
}
