import { snippet } from '@parley/server';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, pageErrors, screenshot } from './support/browser.js';
import { eventually } from './support/events.js';
import { gradientPng } from './support/png.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { ui } from './support/ui.js';
import { widgetSuite } from './support/widget-suite.js';

// Real Chromium, real server, the built and minified widget files the server serves.
describe.skipIf(!hasChromium)('the messenger widget in Chromium', () => {
  const suite = widgetSuite();
  const newPage = suite.newPage;

  const launcher = (page: Page) => page.locator('parley-messenger button.launcher');
  const composer = (page: Page) => page.locator('parley-messenger #parley-composer');
  const bubbles = (page: Page, who: 'mine' | 'theirs') => page.locator(`parley-messenger .message.${who} .bubble`);
  const badge = (page: Page) => page.locator('parley-messenger .launcher .badge');
  /** Opens the messenger (its home) and starts a conversation from "Send us a message". */
  async function openNewConversation(page: Page) {
    await launcher(page).click();
    await page.locator('parley-messenger .home .card button.primary').click();
    await composer(page).waitFor();
  }
  /** Types into the open widget's composer and presses Enter, as a person would. */
  async function sendFromWidget(page: Page, text: string) {
    await composer(page).fill(text);
    await page.keyboard.press('Enter');
  }
  const hostScript = (boot: object, extra = '') =>
    `${snippet(suite.parley.url, suite.parley.app.id).replace(
      `Parley('boot', { appId: '${suite.parley.app.id}' });`,
      `Parley('boot', ${JSON.stringify({ appId: suite.parley.app.id, ...boot })});${extra}`,
    )}`;

  async function conversationOf(visitorText: string) {
    const agent = suite.parley.agent();
    await agent.ready();
    let id: string | undefined;
    await eventually(async () => {
      const list = await agent.conversations();
      id = list.find((c) => c.lastMessage?.text === visitorText)?.id;
      expect(id).toBeDefined();
    });
    return { agent, conversationId: id! };
  }

  it('loads on the demo page, sends, receives the reply, and shows the badge when closed', async () => {
    const page = await newPage();
    const errors = pageErrors(page);
    const polls: string[] = [];
    const sockets: string[] = [];
    page.on('request', (r) => r.url().includes('transport=polling') && polls.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const panelFetched = page.waitForResponse((r) => r.url().endsWith('/widget/panel.js'));
    await page.goto(`${suite.parley.url}/demo`);
    await launcher(page).waitFor();
    // The panel's code is fetched when the page is idle, but no socket opens before it is needed.
    await panelFetched;
    expect(sockets).toEqual([]);
    await screenshot(page, '01-demo-closed');
    // Round, not 58×56.
    const round = await launcher(page).boundingBox();
    expect([round?.width, round?.height]).toEqual([56, 56]);

    // Home: the greeting, who answers and how soon, and the two ways in.
    await launcher(page).click();
    const home = page.locator('parley-messenger .home');
    await ui.contains(home.locator('.hello'), 'Hi there');
    await ui.contains(home.locator('.team'), 'The Test shop team');
    await ui.contains(home.locator('.replies'), 'Usually replies within a few hours');
    await ui.texts(home.locator('button.primary'), ['Send us a message']);
    await ui.texts(home.locator('button.report-problem'), ['Report a problem']);
    await ui.focused(home.locator('button.primary'));
    await screenshot(page, '02-demo-home');
    await home.locator('button.primary').click();
    await ui.contains(page.locator('parley-messenger .greeting'), 'Hi! Ask us anything.');
    await screenshot(page, '02-demo-open-empty');
    await sendFromWidget(page, 'My export to CSV fails');
    await ui.texts(bubbles(page, 'mine'), ['My export to CSV fails']);

    const { agent, conversationId } = await conversationOf('My export to CSV fails');
    await agent.send(conversationId, 'Sorry about that! Which report? Details: https://example.com/help');
    await bubbles(page, 'theirs').first().waitFor();
    await ui.contains(bubbles(page, 'theirs').first(), 'Sorry about that!');
    await ui.contains(
      page.locator('parley-messenger [aria-live=polite]'),
      'New message from Alex Agent: Sorry about that!',
    );
    const link = page.locator('parley-messenger .message.theirs a');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('href')).toBe('https://example.com/help');
    await screenshot(page, '03-demo-conversation');

    await page.keyboard.press('Escape');
    await ui.hidden(page.locator('parley-messenger .panel'));
    await agent.send(conversationId, 'Are you still there?');
    await ui.texts(badge(page), ['1']);
    await screenshot(page, '04-demo-badge');
    expect(errors).toEqual([]);
    // WebSocket from the first request: no long-polling where WebSocket works.
    expect(polls).toEqual([]);
    agent.close();
  });

  it('falls back to long-polling where a proxy refuses WebSocket, and the chat still works', async () => {
    const proxy = await startTcpProxy(suite.parley.url, { refuseWebSocket: true });
    try {
      const page = await newPage();
      const errors = pageErrors(page);
      const sockets: string[] = [];
      const polls: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      page.on('request', (r) => r.url().includes('transport=polling') && polls.push(r.url()));
      const url = suite.hosts.add({
        script: snippet(proxy.url, suite.parley.app.id),
      });
      await page.goto(url);
      await openNewConversation(page);
      await sendFromWidget(page, 'Our proxy blocks WebSockets');
      await ui.count(page.locator('parley-messenger .message.mine .meta time'), 1);
      const { agent, conversationId } = await conversationOf('Our proxy blocks WebSockets');
      await agent.send(conversationId, 'Long-polling reaches you all the same');
      await ui.texts(bubbles(page, 'theirs'), ['Long-polling reaches you all the same']);
      expect(sockets.some((u) => u.includes('/socket.io/'))).toBe(true);
      expect(polls.length).toBeGreaterThan(0);
      expect(errors.filter((e) => !e.includes('WebSocket'))).toEqual([]);
      agent.close();
    } finally {
      await proxy.close();
    }
  });

  it('keeps the conversation across a reload', async () => {
    const page = await newPage();
    const url = suite.hosts.add({ script: hostScript({}) });
    await page.goto(url);
    await openNewConversation(page);
    await sendFromWidget(page, 'Remember me');
    await ui.count(page.locator('parley-messenger .message.mine .meta time'), 1);
    await page.reload();
    await launcher(page).click();
    await page.locator('parley-messenger .conversation').first().click();
    await ui.texts(bubbles(page, 'mine'), ['Remember me']);
  });

  it('replays calls made before the script arrived, in order, and warns about unknown ones', async () => {
    const page = await newPage();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    // Hold the launcher script until the host page has queued its calls.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route(`${suite.parley.url}/widget/parley.js`, async (route) => {
      await held;
      await route.continue();
    });
    const url = suite.hosts.add({
      script: hostScript(
        {},
        `window.events = [];
         Parley('on', 'ready', function () { window.events.push('ready'); });
         Parley('on', 'show', function () { window.events.push('show'); });
         Parley('teleport');
         Parley('showNewMessage', 'I need an invoice copy');`,
      ),
    });
    // The held script does not block DOMContentLoaded (it is async); `load` would wait for it.
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => (window as unknown as { Parley: { q: unknown[] } }).Parley.q.length)).toBe(5);
    release();
    await ui.value(composer(page), 'I need an invoice copy');
    expect(await page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual(['ready', 'show']);
    expect(warnings.join('\n')).toMatch(/unknown command "teleport"; valid commands: boot, shutdown, show/);
  });

  it('shows only the new user their own history after shutdown and boot as another user', async () => {
    const page = await newPage();
    const url = suite.hosts.add({ script: hostScript({ user: { id: 'ana', name: 'Ana' } }) });
    await page.goto(url);
    await openNewConversation(page);
    await sendFromWidget(page, 'Ana asks about billing');
    await ui.count(page.locator('parley-messenger .message.mine .meta time'), 1);

    await page.evaluate(() => {
      const P = (window as unknown as { Parley: (...a: unknown[]) => void }).Parley;
      P('shutdown');
    });
    await ui.count(launcher(page), 0);
    await page.evaluate((appId) => {
      const P = (window as unknown as { Parley: (...a: unknown[]) => void }).Parley;
      P('boot', { appId, user: { id: 'ben', name: 'Ben' } });
      P('show');
    }, suite.parley.app.id);
    await page.locator('parley-messenger .home').waitFor();
    await ui.count(page.locator('parley-messenger .conversation'), 0);
    await page.locator('parley-messenger .home .card button.primary').click();
    await ui.count(bubbles(page, 'mine'), 0);
    await sendFromWidget(page, 'Ben asks about exports');
    await page.locator('parley-messenger .header .icon-button').first().click();
    await ui.texts(page.locator('parley-messenger .conversation .preview'), ['Ben asks about exports']);
    await screenshot(page, '05-switch-user');
  });

  it('survives hostile host CSS', async () => {
    const page = await newPage();
    const url = suite.hosts.add({
      head: `<style>
        * { all: initial !important; }
        div { display: none !important; }
        html { font-size: 64px !important; }
        button { background: red !important; width: 3px !important; }
      </style>`,
      body: '<h1>Hostile</h1><div>hidden div</div>',
      script: hostScript({}),
    });
    await page.goto(url);
    await openNewConversation(page);
    await sendFromWidget(page, 'still works');
    await ui.count(page.locator('parley-messenger .message.mine .meta time'), 1);
    const box = await page.locator('parley-messenger .panel').boundingBox();
    expect(box?.width).toBe(380);
    expect(await composer(page).evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
    await screenshot(page, '06-hostile-css');
  });

  it('keeps the open panel on screen when the host page zooms (html { zoom: 1.25 })', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(suite.hosts.add({ head: '<style>html { zoom: 1.25 }</style>', script: hostScript({}) }));
    await openNewConversation(page);
    const panel = (await page.locator('parley-messenger .panel').boundingBox())!;
    expect(panel.y).toBeGreaterThanOrEqual(0);
    expect(panel.y + panel.height).toBeLessThanOrEqual(720);
    const close = (await page.locator('parley-messenger .header button').last().boundingBox())!;
    expect(close.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, '13-zoomed-host');
  });

  it('works under a strict Content-Security-Policy', async () => {
    const page = await newPage();
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/.test(m.text()) && violations.push(m.text()));
    const server = new URL(suite.parley.url);
    const url = suite.hosts.add({
      csp: [
        "default-src 'none'",
        `script-src 'nonce-host' ${server.origin}`,
        `connect-src ${server.origin} ws://${server.host}`,
        "style-src 'self'",
        "img-src 'self' data:",
      ].join('; '),
      script: hostScript({}).replace('<script>', '<script nonce="host">'),
    });
    await page.goto(url);
    await openNewConversation(page);
    await sendFromWidget(page, 'hello under CSP');
    await ui.count(page.locator('parley-messenger .message.mine .meta time'), 1);
    expect(violations).toEqual([]);
    await screenshot(page, '07-strict-csp');
  });

  it('can be used by keyboard alone', async () => {
    const page = await newPage();
    const url = suite.hosts.add({ body: '<h1>Shop</h1><a href="#top">Top</a>', script: hostScript({}) });
    await page.goto(url);
    await launcher(page).waitFor();
    await page.keyboard.press('Tab'); // the host's link
    await page.keyboard.press('Tab'); // the launcher
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('PARLEY-MESSENGER');
    await page.keyboard.press('Enter');
    await ui.focused(page.locator('parley-messenger .home button.primary'));
    await page.keyboard.press('Enter');
    await ui.focused(composer(page));
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Tab');
    await ui.focused(page.locator('parley-messenger button.send'));
    await page.keyboard.press('Enter');
    await ui.texts(bubbles(page, 'mine'), ['typed without a mouse']);
    await page.keyboard.press('Escape');
    await ui.hidden(page.locator('parley-messenger .panel'));
    await ui.focused(launcher(page));
  });

  it('keeps the unread count the same in two tabs', async () => {
    const first = await newPage();
    const url = suite.hosts.add({ script: hostScript({}) });
    await first.goto(url);
    await openNewConversation(first);
    await sendFromWidget(first, 'two tabs');
    await ui.count(first.locator('parley-messenger .message.mine .meta time'), 1);
    await first.keyboard.press('Escape');

    const second = await newPage({ context: first });
    await second.goto(url);
    await launcher(second).waitFor();
    const { agent, conversationId } = await conversationOf('two tabs');
    await agent.send(conversationId, 'reply one');
    await agent.send(conversationId, 'reply two');
    await ui.texts(badge(first), ['2']);
    await ui.texts(badge(second), ['2']);

    // Reading in one tab clears the badge in both.
    await launcher(second).click();
    await second.locator('parley-messenger .conversation').first().click();
    await ui.hidden(badge(first));
    await ui.hidden(badge(second));
    agent.close();
  });

  it('keeps one launcher and the open conversation across a pushState route change', async () => {
    const page = await newPage();
    const url = suite.hosts.add({ script: hostScript({}) });
    await page.goto(url);
    await openNewConversation(page);
    await sendFromWidget(page, 'before navigating');
    await page.evaluate(() => {
      history.pushState({}, '', 'reports/weekly');
      document.body.replaceChildren(document.createElement('main'));
    });
    expect(page.url()).toBe(new URL('reports/weekly', url).toString());
    await ui.count(page.locator('parley-messenger'), 1);
    await ui.count(launcher(page), 1);
    await ui.texts(bubbles(page, 'mine'), ['before navigating']);
    await page.evaluate((appId) => {
      (window as unknown as { Parley: (...a: unknown[]) => void }).Parley('boot', { appId });
    }, suite.parley.app.id);
    await ui.count(launcher(page), 1);
  });

  it('fills a phone screen with the panel, without motion when the user asks for less', async () => {
    const page = await newPage({ viewport: { width: 375, height: 667 }, reducedMotion: 'reduce', touch: true });
    const url = suite.hosts.add({ script: hostScript({}) });
    await page.goto(url);
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await openNewConversation(page);
    // On a touch screen starting a conversation does not focus the composer (that raises the keyboard).
    await page.locator('parley-messenger .header button').first().waitFor();
    expect(
      await page.evaluate(() => document.querySelector('parley-messenger')?.shadowRoot?.activeElement?.tagName ?? null),
    ).not.toBe('TEXTAREA');
    const box = await page.locator('parley-messenger .panel').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    expect(await page.locator('parley-messenger .panel').evaluate((el) => getComputedStyle(el).animationName)).toBe(
      'none',
    );
    expect(await composer(page).evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
    await screenshot(page, '08-phone');
  });

  it('keeps hostile text in its place: isolated, wrapped, and the time in its row and its name', async () => {
    const page = await newPage();
    await page.goto(suite.hosts.add({ script: hostScript({}) }));
    await openNewConversation(page);
    // A right-to-left override and a word with no break in it.
    await sendFromWidget(page, `\u202Egnp.txt ${'x'.repeat(120)}`);
    await page.locator('parley-messenger .header button').first().click(); // back home, to its recent list
    const row = page.locator('parley-messenger button.conversation').first();
    await row.waitFor();
    expect(await row.getAttribute('aria-label')).toMatch(/, \d{1,2}:\d{2}/);
    for (const part of ['.who', '.preview']) {
      expect(await row.locator(part).evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');
    }
    const rowBox = (await row.boundingBox())!;
    const when = (await row.locator('.when').boundingBox())!;
    expect(when.x + when.width).toBeLessThanOrEqual(rowBox.x + rowBox.width);
    await screenshot(page, '12-hostile-text');
  });

  it('lets clicks through to the host page around the closed launcher', async () => {
    const page = await newPage();
    const url = suite.hosts.add({
      head: '<style>#corner{position:fixed;right:20px;bottom:100px;width:200px;height:200px}</style>',
      body: '<button id="corner" onclick="window.clicked=true">Host action</button>',
      script: hostScript({}),
    });
    await page.goto(url);
    await launcher(page).waitFor();
    // Where the open panel would be: with the widget closed, the host's button gets the click.
    await page.mouse.click(1280 - 100, 720 - 200);
    expect(await page.evaluate(() => (window as unknown as { clicked?: boolean }).clicked)).toBe(true);
  });

  it('sends an attached image that reaches the agent and shows as a thumbnail', async () => {
    const page = await newPage();
    const url = suite.hosts.add({ script: hostScript({}) });
    await page.goto(url);
    await openNewConversation(page);
    await page.locator('parley-messenger input[type=file]').setInputFiles({
      name: 'screenshot.png',
      mimeType: 'image/png',
      buffer: gradientPng(320, 200),
    });
    await ui.texts(page.locator('parley-messenger .chip.ready span'), ['screenshot.png']);
    await sendFromWidget(page, 'The chart is blank, see screenshot');

    const { agent, conversationId } = await conversationOf('The chart is blank, see screenshot');
    const [message] = (await agent.history(conversationId)).messages;
    expect(message?.attachments).toEqual([
      expect.objectContaining({
        name: 'screenshot.png',
        contentType: 'image/png',
        path: expect.stringMatching(/^\/v1\/attachments\//),
      }),
    ]);
    const image = await fetch(new URL(message!.attachments[0]!.path, suite.parley.url));
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(gradientPng(320, 200));

    const thumb = page.locator('parley-messenger .message.mine img.thumb');
    await thumb.waitFor();
    await eventually(async () => expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320));
    await screenshot(page, '09-attachment');
    agent.close();
  });

  it("takes its colour, side and launcher label from the app's settings", async () => {
    const themed = await suite.parley.newApp({
      origins: [suite.hosts.origin],
      settings: { accentColor: '#0f766e', position: 'left', launcherLabel: 'Help', greeting: 'Hola' },
    });
    const page = await newPage();
    const url = suite.hosts.add({
      script: snippet(suite.parley.url, themed.id).replace("Parley('boot', {", "Parley('boot', { locale: 'es',"),
    });
    await page.goto(url);
    await ui.texts(page.locator('parley-messenger .launcher span:not(.badge)'), ['Help']);
    const box = await launcher(page).boundingBox();
    expect(box?.x).toBe(20);
    expect(await launcher(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
    // The visible label is in the launcher's accessible name (WCAG 2.5.3).
    expect(await launcher(page).getAttribute('aria-label')).toBe('Help – Abrir chat');
    await launcher(page).click();
    await ui.contains(page.locator('parley-messenger .greeting-text'), 'Hola');
    await page.locator('parley-messenger .home .card button.primary').click();
    await ui.contains(page.locator('parley-messenger .greeting'), 'Hola');
    expect(await composer(page).getAttribute('placeholder')).toBe('Escribe un mensaje…');
    await screenshot(page, '10-themed-left-spanish');
  });

  it('tells the person that a page its app does not allow is not set up for chat, and sends nothing', async () => {
    const elsewhere = await suite.parley.newApp({ origins: ['https://shop.example'] });
    const page = await newPage();
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(suite.hosts.add({ script: snippet(suite.parley.url, elsewhere.id) }));
    await launcher(page).waitFor();
    await launcher(page).click();
    await ui.contains(page.locator('parley-messenger .unavailable'), 'This site is not set up for chat');
    await ui.count(composer(page), 0);
    await ui.count(page.locator('parley-messenger .report-open'), 0);
    expect(warnings.join('\n')).toContain(`this page may not use app ${elsewhere.id}`);
    await screenshot(page, '11-not-set-up');
  });
});
