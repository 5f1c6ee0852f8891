// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { CONTEXT_LIMITS, type ErrorCollector, startErrorCollector } from '../src/browser.js';

describe('the error-context collector', () => {
  let collector: ErrorCollector | undefined;
  let t = Date.parse('2026-11-22T10:00:00Z');
  const now = () => new Date(t);
  beforeEach(() => {
    t = Date.parse('2026-11-22T10:00:00Z');
  });
  afterEach(() => collector?.stop());

  const throwUncaught = (error: Error) =>
    window.dispatchEvent(
      new ErrorEvent('error', {
        error,
        message: error.message,
        filename: 'https://app.example.com/app.js',
        lineno: 10,
        colno: 5,
      }),
    );

  it('keeps memory bounded however noisy the page is', () => {
    // The page's own console prints nothing here: 15 MB of noise would drown the test log.
    const pageConsole = { error: window.console.error, warn: window.console.warn };
    window.console.error = () => undefined;
    window.console.warn = () => undefined;
    onTestFinished(() => {
      Object.assign(window.console, pageConsole);
    });
    collector = startErrorCollector(window, { now });
    const quietConsole = { error: console.error, warn: console.warn };
    for (let i = 0; i < 5000; i++) throwUncaught(new Error(`boom ${i % 40}`));
    for (let i = 0; i < 5000; i++) {
      window.console.error(`failure ${i} ${'x'.repeat(3000)}`);
    }
    const context = collector.snapshot();
    expect(context.errors).toHaveLength(CONTEXT_LIMITS.distinctErrors);
    expect(context.errors[0]).toMatchObject({
      message: 'Error: boom 0',
      count: 125,
      source: 'https://app.example.com/app.js',
      line: 10,
    });
    expect(context.breadcrumbs.length).toBeLessThanOrEqual(CONTEXT_LIMITS.breadcrumbsDefault);
    for (const b of context.breadcrumbs)
      if (b.type === 'console') expect(b.message.length).toBeLessThanOrEqual(CONTEXT_LIMITS.messageChars);
    expect(new TextEncoder().encode(JSON.stringify(context)).length).toBeLessThanOrEqual(CONTEXT_LIMITS.targetBytes);
    expect(context.droppedBreadcrumbs).toBeGreaterThan(4900);
    expect(quietConsole.error).toBe(console.error);
  });

  it('wraps globals without changing what the page sees, and restores them on stop', async () => {
    const originals = {
      error: window.console.error,
      warn: window.console.warn,
      fetch: window.fetch,
      pushState: window.history.pushState,
      open: window.XMLHttpRequest.prototype.open,
    };
    const seen: unknown[][] = [];
    window.console.error = (...args: unknown[]) => {
      seen.push(args);
    };
    const pageError = window.console.error;
    collector = startErrorCollector(window, { now, appVersion: '4.2.0', userId: 'u-7' });
    const payload = { reason: 'card 4111111111111111 declined' };
    window.console.error('Payment failed', payload);
    expect(seen).toEqual([['Payment failed', payload]]);

    history.pushState({}, '', '/reports?token=abc#secret');
    const context = collector.snapshot();
    expect(context.breadcrumbs).toEqual([
      {
        type: 'console',
        level: 'error',
        message: 'Payment failed {"reason":"card [redacted] declined"}',
        at: now().toISOString(),
      },
      expect.objectContaining({ type: 'navigation', to: expect.stringMatching(/\/reports\?token=\[redacted\]$/) }),
    ]);
    expect(context.scrubbed.sort()).toEqual(['card_number', 'query_param', 'url_fragment'].sort());
    expect(context.environment).toMatchObject({ appVersion: '4.2.0', userId: 'u-7', online: true });

    collector.stop();
    collector = undefined;
    expect(window.console.error).toBe(pageError);
    expect(window.console.warn).toBe(originals.warn);
    expect(window.fetch).toBe(originals.fetch);
    expect(window.history.pushState).toBe(originals.pushState);
    expect(window.XMLHttpRequest.prototype.open).toBe(originals.open);
    window.console.error = originals.error;
  });

  it('records failed requests with their method, scrubbed URL and status, and returns the response unchanged', async () => {
    const realFetch = window.fetch;
    const canned = new Response('nope', { status: 500 });
    window.fetch = (async () => canned) as typeof fetch;
    try {
      collector = startErrorCollector(window, { now });
      const response = await window.fetch('https://api.example.com/v1/export?token=abc&format=csv', { method: 'post' });
      expect(response).toBe(canned);
      await Promise.resolve();
      expect(collector.snapshot().breadcrumbs).toEqual([
        {
          type: 'request',
          method: 'POST',
          url: 'https://api.example.com/v1/export?token=[redacted]&format=csv',
          status: 500,
          durationMs: 0,
          at: now().toISOString(),
        },
      ]);
    } finally {
      collector?.stop();
      collector = undefined;
      window.fetch = realFetch;
    }
  });

  it('records clicks as selectors only, never text or input values', () => {
    collector = startErrorCollector(window, { now });
    document.body.innerHTML =
      '<form id="pay"><input class="card big" value="4111111111111111"><button class="primary">Pay Ana</button></form>';
    document.querySelector('input')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    document.querySelector('button')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const selectors = collector.snapshot().breadcrumbs.map((b) => (b.type === 'click' ? b.selector : ''));
    expect(selectors).toEqual(['form#pay > input.card.big', 'form#pay > button.primary']);
    expect(JSON.stringify(collector.snapshot())).not.toContain('4111');
    expect(JSON.stringify(collector.snapshot())).not.toContain('Pay Ana');
  });

  it("leaves out clicks in the messenger itself (its own buttons are not the page's story)", () => {
    collector = startErrorCollector(window, { now });
    document.body.innerHTML = '<button id="pay">Pay</button><parley-messenger></parley-messenger>';
    const messenger = document.querySelector('parley-messenger')!;
    const inside = messenger.attachShadow({ mode: 'open' }).appendChild(document.createElement('button'));
    inside.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    document.querySelector('#pay')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const selectors = collector.snapshot().breadcrumbs.map((b) => (b.type === 'click' ? b.selector : ''));
    expect(selectors).toEqual(['button#pay']);
  });
});
