import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, pageErrors, screenshot } from './support/browser.js';
import { type Parley, startParley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';

describe.skipIf(!hasChromium)('the API reference page in Chromium', () => {
  let parley: Parley;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    parley = await startParley(STORE_KITS[0]!);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await parley?.close();
  });

  it('renders every operation of the OpenAPI document under our name, with no script errors', async () => {
    const document = (await (await fetch(`${parley.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);

    const page = await browser.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = pageErrors(page);
    await page.goto(`${parley.url}/v1/docs`);
    await page.waitForSelector('.opblock');
    expect(await page.title()).toBe('Parley API reference');
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.topbar img').getAttribute('src')).toMatch(/logo|svg/);
    await screenshot(page, 'api-docs');
    // One operation opened, with its parameters.
    await page.locator('.opblock-summary', { hasText: '/v1/conversations' }).first().click();
    await page.waitForSelector('.parameters');
    await screenshot(page, 'api-docs-conversations');
    expect(errors).toEqual([]);
  });
});
