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
    // Step 1 of 4, what's wrong: the host's area, and the exact error found on the page.
    await ui.contains(widget(page, '.progress'), "Step 1 of 4 · What's wrong");
    await ui.value(widget(page, '#parley-area'), 'Checkout');
    await ui.value(widget(page, '#parley-errorMessage'), 'Error: payment service unavailable');
    await ui.contains(form, 'We found this message on the page');
    await widget(page, '#parley-details').fill('Paying fails for everyone since this morning.');
    await screenshot(page, 'incident-step-1');
    await widget(page, '.form-nav button.primary').click();

    // Step 2, impact: prefilled from the first error's time. Going on unanswered shows what is
    // missing, focuses it, and keeps everything typed.
    await ui.contains(widget(page, '.progress'), 'Step 2 of 4 · Impact');
    const startedAt = await widget(page, '#parley-startedAt').inputValue();
    expect(startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await widget(page, '.form-nav button.primary').click();
    await ui.contains(widget(page, '.choice').first(), 'Required');
    await ui.focused(widget(page, 'input[name=parley-usersAffected]').first());
    await screenshot(page, 'incident-form-required');

    // The draft survives closing and reopening the panel.
    await page.keyboard.press('Escape');
    await page.evaluate(() => (window as unknown as { Parley: (c: string) => void }).Parley('show'));
    await ui.contains(widget(page, '.progress'), 'Step 2 of 4');
    await widget(page, '.form-nav button.secondary').click();
    await ui.value(widget(page, '#parley-area'), 'Checkout');
    await widget(page, '.form-nav button.primary').click();

    await widget(page, 'input[name=parley-usersAffected][value=many]').check();
    await widget(page, 'input[name=parley-platformState][value=down]').check();
    await widget(page, 'input[name=parley-workaround][value=no]').check();
    // The outcome, as the user answers.
    await ui.texts(widget(page, '.outcome'), ['This looks critical — we aim to reply within 2 hours.']);
    await screenshot(page, 'incident-step-2');
    await widget(page, '.form-nav button.primary').click();

    // Step 3, the steps the host filled in.
    await ui.contains(widget(page, '.progress'), 'Step 3 of 4 · Steps');
    await ui.value(widget(page, '.steps input').first(), 'Open the cart');
    await widget(page, '.form-nav button.primary').click();

    // Step 4, review: the answers with Edit, and what will be attached in people's words: both
    // errors, the failed request without its token, the browser on one line.
    await ui.contains(widget(page, '.progress'), 'Step 4 of 4 · Review');
    await ui.contains(widget(page, '.answers').nth(1), 'Many or all users');
    await ui.count(widget(page, '.attached .items'), 3);
    const listed = await widget(page, '.attached .item').allTextContents();
    expect(listed.some((t) => t.startsWith('TypeError: Cannot read properties of undefined'))).toBe(true);
    expect(listed.some((t) => t.startsWith('Error: payment service unavailable'))).toBe(true);
    const request = listed.find((t) => t.includes('A request to'));
    expect(request).toContain('A request to GET /status/500/api/cart?id=7&token=[redacted] failed (error 500)');
    expect(listed.some((t) => /^Chrome \d+ on Linux · window 1280×900 · en-US/.test(t))).toBe(true);
    expect(listed.join('\n')).not.toContain('sekret-123');
    await ui.contains(widget(page, '.attached'), 'card numbers were taken out first');
    // The user removes the console line: it must not reach the agent.
    const consoleItem = widget(page, '.attached .item').filter({ hasText: 'Console error' });
    await consoleItem.getByRole('button').click();
    await ui.count(widget(page, '.attached .item').filter({ hasText: 'Console error' }), 0);
    await screenshot(page, 'incident-form');

    const received = nextEvent(agent, 'incident');
    await widget(page, '.form-nav button.primary').click();
    const incident = await received;
    // The confirmation: its reference, the reply we aim for and where it will come; the heading
    // has the focus (a screen reader reads it).
    await ui.focused(widget(page, '.report.sent .sent-title'));
    await ui.texts(widget(page, '.report.sent .reference'), [`Reference #${incident.number}`]);
    await ui.contains(widget(page, '.report.sent'), 'We aim to reply within 2 hours, by');
    await ui.contains(widget(page, '.report.sent'), "You'll see the answer here.");
    await screenshot(page, 'incident-sent');

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

    // The confirmation leads to the incident's conversation, its card at the top.
    await widget(page, '.report.sent button.primary').click();
    await ui.texts(widget(page, '.message.mine .bubble'), [
      'Checkout\n\nPaying fails for everyone since this morning.\n\nError: payment service unavailable\n\n1. Open the cart\n2. Press Pay',
    ]);
    const card = widget(page, '.incident-card');
    await ui.contains(card, `Problem reported #${incident.number}`);
    await ui.contains(card, 'Checkout');
    await ui.contains(card, 'P1');
    await ui.contains(card, 'We aim to reply within 2 hours, by');
    await screenshot(page, 'incident-conversation');
    // An agent answers: the card says so.
    await agent.send(incident.conversationId, 'We are on it.');
    await ui.contains(widget(page, '.incident-card'), 'Answered at');
    // Home lists the open report and offers both ways in: a new conversation, or another report.
    await widget(page, '.header button[aria-label="Back to home"]').click();
    await ui.contains(widget(page, '.home .reports'), `#${incident.number} · Checkout · P1`);
    await widget(page, 'button.report-problem').waitFor();
    await screenshot(page, 'incident-home');
  });

  it.each([
    { name: 'desktop-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' as const, touch: false },
    { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const, touch: true },
    { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const, touch: true },
  ])(
    'goes from home to a sent report and its conversation on $name',
    async ({ name, viewport, colorScheme, touch }) => {
      const agent = suite.parley.agent();
      await agent.ready();
      const page = await suite.newPage({ viewport, colorScheme, touch });
      const boot = {
        appId: suite.parley.app.id,
        incidentAreas: ['Checkout', 'Reports'],
        user: { id: `u-${name}`, name: 'Dana Scully' },
      };
      await page.goto(
        suite.hosts.add({
          script: snippet(suite.parley.url, suite.parley.app.id).replace(
            `Parley('boot', { appId: '${suite.parley.app.id}' });`,
            `Parley('boot', ${JSON.stringify(boot)});`,
          ),
        }),
      );
      await widget(page, 'button.launcher').click();
      await ui.contains(widget(page, '.home .hello'), 'Hi Dana');
      // The system's dark setting darkens the panel; the host's accent stays.
      const background = await widget(page, '.panel').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(21, 26, 34)' : 'rgb(255, 255, 255)');
      await screenshot(page, `home-${name}`);

      await widget(page, 'button.report-problem').click();
      await widget(page, '#parley-area').selectOption('Reports');
      await widget(page, '#parley-details').fill('The weekly report shows last month.');
      await screenshot(page, `report-step-1-${name}`);
      await widget(page, '.form-nav button.primary').click();
      await widget(page, 'input[name=parley-usersAffected][value=several]').check();
      await widget(page, 'input[name=parley-platformState][value=degraded]').check();
      await widget(page, 'input[name=parley-workaround][value=yes]').check();
      await screenshot(page, `report-step-2-${name}`);
      await widget(page, '.form-nav button.primary').click();
      await widget(page, '.steps input').first().fill('Open Reports, then Weekly');
      await widget(page, '.form-nav button.primary').click();
      await ui.contains(widget(page, '.progress'), 'Step 4 of 4');
      await screenshot(page, `report-review-${name}`);
      const received = nextEvent(agent, 'incident');
      await widget(page, '.form-nav button.primary').click();
      const incident = await received;
      await ui.texts(widget(page, '.report.sent .reference'), [`Reference #${incident.number}`]);
      await screenshot(page, `report-sent-${name}`);
      await widget(page, '.report.sent button.primary').click();
      await ui.contains(widget(page, '.incident-card'), `#${incident.number}`);
      await agent.send(incident.conversationId, 'Thanks Dana, looking at the reports now.');
      await ui.contains(widget(page, '.incident-card'), 'Answered at');
      await screenshot(page, `incident-thread-${name}`);
      agent.close();
    },
  );

  it('starts with the context switched off when the browser sends Global Privacy Control', async () => {
    const agent = suite.parley.agent();
    await agent.ready();
    const page = await failingPage(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
    await widget(page, 'button.launcher').click();
    await widget(page, 'button.report-problem').click();
    await widget(page, '#parley-area').selectOption('Reports');
    await widget(page, '.form-nav button.primary').click();
    await widget(page, 'input[name=parley-usersAffected][value=one]').check();
    await widget(page, 'input[name=parley-platformState][value=working]').check();
    await widget(page, 'input[name=parley-workaround][value=yes]').check();
    await ui.texts(widget(page, '.outcome'), ['We aim to reply within 3 days.']);
    await widget(page, '.form-nav button.primary').click();
    await widget(page, '.form-nav button.primary').click();
    const toggle = widget(page, '.attached input[type=checkbox]');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await ui.count(widget(page, '.attached .item'), 0);
    const received = nextEvent(agent, 'incident');
    await widget(page, '.form-nav button.primary').click();
    await ui.contains(widget(page, '.report.sent'), 'We aim to reply within 3 days, by');
    const incident = await received;
    expect(incident).toMatchObject({ area: 'Reports', priority: 'P3', context: null });
  });
});
