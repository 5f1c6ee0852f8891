import { snippet } from '@parley/server';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './support/browser.js';
import { nextEvent } from './support/events.js';
import { ui } from './support/ui.js';
import { widgetSuite } from './support/widget-suite.js';

describe.skipIf(!hasChromium)('screening in the widget, in Chromium', () => {
  const suite = widgetSuite();

  const widget = (page: Page, selector: string) => page.locator(`parley-messenger ${selector}`);

  it('keeps card numbers in the page, and gives a blocked message back with the reason', async () => {
    const agent = suite.parley.agent();
    await agent.ready();
    const page = await suite.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(suite.hosts.add({ script: snippet(suite.parley.url, suite.parley.app.id) }));
    await widget(page, 'button.launcher').click();
    await widget(page, '.home button.primary').click();
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
