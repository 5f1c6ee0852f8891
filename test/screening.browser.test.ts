import { snippet } from '@parley/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from './support/browser.js';
import { nextEvent } from './support/events.js';
import { type HostPages, startHostPages } from './support/host-page.js';
import type { Parley } from './support/server.js';
import { STORE_KITS } from './support/stores.js';
import { ui } from './support/ui.js';
import { startWidgetServer } from './support/widget-server.js';

describe.skipIf(!hasChromium)('screening in the widget, in Chromium', () => {
  let parley: Parley;
  let hosts: HostPages;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
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

  const widget = (page: Page, selector: string) => page.locator(`parley-messenger ${selector}`);

  it('keeps card numbers in the page, and gives a blocked message back with the reason', async () => {
    const agent = parley.agent();
    await agent.ready();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(hosts.add({ script: snippet(parley.url, parley.app.id) }));
    await widget(page, 'button.launcher').click();
    const composer = widget(page, '#parley-composer');

    // Redacted in the page, before sending: the agent never receives the digits.
    const received = nextEvent(agent, 'message');
    await composer.fill('My card 4242 4242 4242 4242 was charged twice');
    await page.keyboard.press('Enter');
    expect((await received).text).toBe('My card [card ••••4242] was charged twice');
    await ui.texts(widget(page, '.message.mine .bubble'), ['My card [card ••••4242] was charged twice']);
    await ui.contains(widget(page, '.message.mine .note'), 'removed before sending');

    // Blocked on the server: nothing stored, the text comes back to the composer with the reason.
    await composer.fill('I know where you live');
    await page.keyboard.press('Enter');
    const refused = widget(page, '.refused');
    await ui.contains(refused, 'Not sent: Threats of violence cannot be sent.');
    await ui.contains(refused, 'Customer Connect CRM Acceptable Use Policy');
    await ui.value(composer, 'I know where you live');
    await ui.count(widget(page, '.message.mine'), 1);
    await screenshot(page, 'screening-blocked');

    // Editing and sending again clears the notice.
    await composer.fill('When will the refund arrive?');
    await page.keyboard.press('Enter');
    await ui.count(widget(page, '.refused'), 0);
    await ui.count(widget(page, '.message.mine'), 2);
  });
});
