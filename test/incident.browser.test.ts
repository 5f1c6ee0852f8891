import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snippet } from '@parley/server';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, hasChromium, screenshot } from './support/browser.js';
import { nextEvent } from './support/events.js';
import { ui } from './support/ui.js';
import { widgetSuite } from './support/widget-suite.js';

// A host page that goes wrong in the three usual ways, after the messenger booted: an uncaught
// TypeError, an unhandled rejection, and a 500 from its own API whose URL carries a token.
const FAILING_PAGE = `<script>
Parley('on', 'ready', () => {
  setTimeout(() => {
    setTimeout(rejectPayment);
    const cart = undefined;
    cart.total;
  });
});
function rejectPayment() {
  Promise.reject(new Error('payment service unavailable'));
  setTimeout(loadCart);
}
function loadCart() {
  fetch('/status/500/api/cart?id=7&token=sekret-123#top').then((r) => {
    console.error('cart failed with', r.status);
    window.parleyTestDone = true;
  });
}
</script>`;

describe.skipIf(!hasChromium)('reporting an incident from the widget in Chromium', () => {
  const suite = widgetSuite();

  async function failingPage(init?: () => void) {
    const page = await suite.newPage({ viewport: { width: 1280, height: 900 } });
    if (init) await page.addInitScript(init);
    const boot = { appId: suite.parley.app.id, incidentAreas: ['Checkout', 'Reports', 'Sign-in'], appVersion: '4.2.0' };
    const script = snippet(suite.parley.url, suite.parley.app.id).replace(
      `Parley('boot', { appId: '${suite.parley.app.id}' });`,
      `Parley('boot', ${JSON.stringify(boot)});`,
    );
    await page.goto(suite.hosts.add({ script: script + FAILING_PAGE }));
    await page.waitForFunction(() => (window as { parleyTestDone?: boolean }).parleyTestDone === true);
    return page;
  }
  const widget = (page: Page, selector: string) => page.locator(`parley-messenger ${selector}`);

  it('sends the prefilled report with the scrubbed context, minus what the user removed, to agents', async () => {
    const agent = suite.parley.agent();
    await agent.ready();
    const page = await failingPage();

    // The host opens the form from its own error handling, with what it knows.
    await page.evaluate(() =>
      (window as unknown as { Parley: (...a: unknown[]) => void }).Parley('reportIncident', {
        area: 'Checkout',
        steps: ['Open the cart', 'Press Pay'],
      }),
    );
    const form = widget(page, 'form.report');
    await form.waitFor();
    await ui.value(widget(page, '#parley-area'), 'Checkout');
    // Prefilled from the context: the latest error's exact message and the first error's time.
    await ui.value(widget(page, '#parley-errorMessage'), 'Error: payment service unavailable');
    const startedAt = await widget(page, '#parley-startedAt').inputValue();
    expect(startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);

    // What will be attached, item by item: both errors, the failed request without its token.
    const items = widget(page, '.attached .item span');
    await ui.count(widget(page, '.attached .items'), 3);
    const listed = await items.allTextContents();
    expect(listed.some((t) => t.includes('TypeError'))).toBe(true);
    expect(listed.some((t) => t.includes('Error: payment service unavailable'))).toBe(true);
    const request = listed.find((t) => t.startsWith('GET '));
    expect(request).toContain('/status/500/api/cart?id=7&token=[redacted] → 500');
    expect(listed.join('\n')).not.toContain('sekret-123');

    // Sending with the impact unanswered shows what is missing and keeps everything typed.
    await widget(page, 'form.report button[type=submit]').click();
    await ui.contains(widget(page, '.choice').first(), 'Required');
    await ui.value(widget(page, '#parley-area'), 'Checkout');
    await ui.focused(widget(page, 'input[name=parley-usersAffected]').first());
    await widget(page, 'form.report').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'incident-form-required');

    // The draft survives closing and reopening the panel.
    await page.keyboard.press('Escape');
    await page.evaluate(() => (window as unknown as { Parley: (c: string) => void }).Parley('show'));
    await ui.value(widget(page, '#parley-area'), 'Checkout');

    await widget(page, 'input[name=parley-usersAffected][value=many]').check();
    await widget(page, 'input[name=parley-platformState][value=down]').check();
    await widget(page, 'input[name=parley-workaround][value=no]').check();
    // The user removes the console line: it must not reach the agent.
    const consoleItem = widget(page, '.attached .item').filter({ hasText: 'console.error' });
    await consoleItem.getByRole('button').click();
    await ui.count(widget(page, '.attached .item').filter({ hasText: 'console.error' }), 0);
    await screenshot(page, 'incident-form');

    const received = nextEvent(agent, 'incident');
    await widget(page, 'form.report button[type=submit]').click();
    await ui.contains(widget(page, '.report.sent'), 'We aim to reply within 2 hours.');
    await screenshot(page, 'incident-sent');

    const incident = await received;
    // Kept for a person to read: the incident exactly as the agent received it.
    writeFileSync(join(ARTIFACTS, 'incident-received.json'), `${JSON.stringify(incident, null, 2)}\n`);
    expect(incident).toMatchObject({
      area: 'Checkout',
      steps: ['Open the cart', 'Press Pay'],
      errorMessage: 'Error: payment service unavailable',
      impact: { usersAffected: 'many', platformState: 'down', workaround: false },
      suggestedPriority: 'P1',
      priority: 'P1',
      client: { browser: 'Chrome', os: 'Linux', device: 'desktop' },
    });
    expect(Date.parse(incident.responseDueAt) - Date.parse(incident.createdAt)).toBe(2 * 3_600_000);
    // The start time is the first error's, to the minute the form shows.
    const firstError = incident.context?.errors[0];
    expect(firstError?.message).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(firstError?.stack.length).toBeGreaterThan(0);
    expect(incident.startedAt.slice(0, 16)).toBe(new Date(firstError!.firstAt).toISOString().slice(0, 16));
    expect(incident.context?.errors[1]).toMatchObject({
      kind: 'unhandledrejection',
      message: 'Error: payment service unavailable',
    });
    const failed = incident.context?.breadcrumbs.find((b) => b.type === 'request');
    expect(failed).toMatchObject({ method: 'GET', status: 500 });
    expect(failed?.type === 'request' && failed.url).toMatch(/\/status\/500\/api\/cart\?id=7&token=\[redacted\]$/);
    expect(incident.context?.environment).toMatchObject({ appVersion: '4.2.0', online: true, language: 'en-US' });
    expect(incident.context?.scrubbed).toEqual(['query_param', 'url_fragment']);
    const everything = JSON.stringify(incident);
    expect(everything).not.toContain('sekret-123');
    expect(everything).not.toContain('cart failed');

    // The confirmation leads to the incident's conversation.
    await widget(page, '.report.sent button').click();
    await ui.texts(widget(page, '.message.mine .bubble'), [
      'Checkout\n\nError: payment service unavailable\n\n1. Open the cart\n2. Press Pay',
    ]);
    await screenshot(page, 'incident-conversation');
    // The list offers both ways in: a new conversation, or another report.
    await widget(page, '.header button[aria-label="Back to conversations"]').click();
    await widget(page, 'button.report-problem').waitFor();
    await screenshot(page, 'incident-list');
  });

  it('starts with the context switched off when the browser sends Global Privacy Control', async () => {
    const agent = suite.parley.agent();
    await agent.ready();
    const page = await failingPage(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
    await widget(page, 'button.launcher').click();
    await widget(page, 'button.report-open').click();
    const toggle = widget(page, '.attached input[type=checkbox]');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await ui.count(widget(page, '.attached .item'), 0);

    await widget(page, '#parley-area').selectOption('Reports');
    await widget(page, 'input[name=parley-usersAffected][value=one]').check();
    await widget(page, 'input[name=parley-platformState][value=working]').check();
    await widget(page, 'input[name=parley-workaround][value=yes]').check();
    const received = nextEvent(agent, 'incident');
    await widget(page, 'form.report button[type=submit]').click();
    await ui.contains(widget(page, '.report.sent'), 'We aim to reply within 3 days.');
    const incident = await received;
    expect(incident).toMatchObject({ area: 'Reports', priority: 'P3', context: null });
  });
});
